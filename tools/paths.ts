/** Where things are: the project root, whatever folder a tier or script runs from. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
export const TSX_NODE_ARGS = ["--conditions=react-server", "--import", "tsx"] as const;
