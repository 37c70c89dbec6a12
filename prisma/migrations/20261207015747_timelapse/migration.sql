-- CreateTable
CREATE TABLE "Timelapse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cameraId" TEXT,
    "cameraName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "day" TEXT,
    "fromAt" DATETIME NOT NULL,
    "toAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "framesDir" TEXT,
    "framesCaptured" INTEGER NOT NULL DEFAULT 0,
    "framesBytes" INTEGER NOT NULL DEFAULT 0,
    "path" TEXT,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "frameCount" INTEGER NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "width" INTEGER,
    "height" INTEGER,
    "error" TEXT,
    "requestedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Timelapse_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Timelapse_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
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
    "timelapseEnabled" BOOLEAN NOT NULL DEFAULT false,
    "timelapseIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Camera" ("createdAt", "credentialsEnc", "detectionConfig", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "privacyMode", "ptzConfig", "ptzProfileToken", "ptzXaddr", "recordSound", "recordingEnabled", "retentionDays", "serial", "subStreamUrl", "updatedAt") SELECT "createdAt", "credentialsEnc", "detectionConfig", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "privacyMode", "ptzConfig", "ptzProfileToken", "ptzXaddr", "recordSound", "recordingEnabled", "retentionDays", "serial", "subStreamUrl", "updatedAt" FROM "Camera";
DROP TABLE "Camera";
ALTER TABLE "new_Camera" RENAME TO "Camera";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Timelapse_status_idx" ON "Timelapse"("status");

-- CreateIndex
CREATE INDEX "Timelapse_cameraId_fromAt_idx" ON "Timelapse"("cameraId", "fromAt");

-- CreateIndex
CREATE UNIQUE INDEX "Timelapse_cameraId_day_key" ON "Timelapse"("cameraId", "day");
