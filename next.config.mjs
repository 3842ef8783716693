/** @type {import('next').NextConfig} */
const nextConfig = {
  // The standalone output is the artifact a container image or a cluster instance runs.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // The app never uses next/image; off, /_next/image answers 404 instead of resizing any picture for anyone.
  images: { unoptimized: true },
  // Next copies the body of every request proxy.ts sees before it runs (10 MB by default): 64 KiB, as lib/http/proxy-body.ts says.
  experimental: { proxyClientMaxBodySize: 64 * 1024 },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
