-- CreateTable
CREATE TABLE "PtzPreset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cameraId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PtzPreset_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Camera" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "recordingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "privacyMode" BOOLEAN NOT NULL DEFAULT false,
    "recordSound" BOOLEAN NOT NULL DEFAULT false,
    "mainStreamUrl" TEXT NOT NULL,
    "subStreamUrl" TEXT,
    "onvifUrl" TEXT,
    "ptzXaddr" TEXT,
    "ptzProfileToken" TEXT,
    "ptzConfig" TEXT NOT NULL DEFAULT '{}',
    "manufacturer" TEXT,
    "model" TEXT,
    "firmware" TEXT,
    "serial" TEXT,
    "credentialsEnc" TEXT,
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "motionConfig" TEXT NOT NULL DEFAULT '{}',
    "detectionConfig" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Camera" ("createdAt", "credentialsEnc", "detectionConfig", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "privacyMode", "recordSound", "recordingEnabled", "retentionDays", "serial", "subStreamUrl", "updatedAt") SELECT "createdAt", "credentialsEnc", "detectionConfig", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "privacyMode", "recordSound", "recordingEnabled", "retentionDays", "serial", "subStreamUrl", "updatedAt" FROM "Camera";
DROP TABLE "Camera";
ALTER TABLE "new_Camera" RENAME TO "Camera";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PtzPreset_cameraId_token_key" ON "PtzPreset"("cameraId", "token");
