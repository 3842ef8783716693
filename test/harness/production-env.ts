/** The least a production configuration needs (secrets of 32 bytes), for unit tests of env-driven code. */
export const PRODUCTION_TEST_ENV = {
  NODE_ENV: "production",
  S3_BUCKET: "avatar-relay",
  NEXTAUTH_URL: "https://avatars.example.com",
  AUTH_SECRET: "k".repeat(32),
  AUTH_USER_ID_KEY: "u".repeat(32),
} as const;
