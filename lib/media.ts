// Where media lives: $DATA_DIR/media/<cameraId>/<yyyy>/<mm>/<dd>/ for clips and photos (UTC dates).
import path from "node:path";
import { getEnv } from "./env";

export function mediaDir(dataDir = getEnv().dataDir): string {
  return path.join(dataDir, "media");
}
