// Demo mode (`npm start -- --demo`): the simulator runs beside Nightjar, and once the household exists its three
// simulated cameras are added, once (a marker file in $DATA_DIR remembers it, so cameras the admin deletes stay gone).
import fs from "node:fs";
import { createCamera } from "../cameras/cameras";
import type { Db } from "../db";
import { cameraAddress, SIMULATOR_PASSWORD, SIMULATOR_USERNAME } from "./simulator";
import { demoMarkerFile } from "../data-dir";

export const DEMO_CAMERAS = 3;
export const DEMO_BASE_ADDRESS = "127.0.0.10";
const RTSP_PORT = 8554;
const ONVIF_PORT = 8000;

/** The command line that starts the demo's simulator (scripts/start.ts). */
export const DEMO_SIMULATOR_ARGS = ["--cameras", String(DEMO_CAMERAS), "--base", DEMO_BASE_ADDRESS, "--control-port", "8999"];

/** Adds the demo cameras if the household exists and they were never added. Returns how many were added. */
export async function addDemoCameras(db: Db, dataDir: string, credentialsKey: Buffer): Promise<number> {
  const marker = demoMarkerFile(dataDir);
  if (fs.existsSync(marker) || (await db.household.count()) === 0) return 0;
  for (let i = 0; i < DEMO_CAMERAS; i++) {
    const host = cameraAddress(DEMO_BASE_ADDRESS, i);
    await createCamera(
      db,
      {
        name: `Demo camera ${i + 1}`,
        mainStreamUrl: `rtsp://${host}:${RTSP_PORT}/main`,
        subStreamUrl: `rtsp://${host}:${RTSP_PORT}/sub`,
        onvifUrl: `http://${host}:${ONVIF_PORT}/onvif/device_service`,
        manufacturer: "Nightjar",
        model: "Simulated camera",
        credentials: { username: SIMULATOR_USERNAME, password: SIMULATOR_PASSWORD },
      },
      credentialsKey,
      null,
    );
  }
  fs.writeFileSync(marker, new Date().toISOString() + "\n");
  return DEMO_CAMERAS;
}
