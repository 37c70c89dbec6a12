-- CreateTable
CREATE TABLE "Camera" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "isEnabled" BOOLEAN NOT NULL DEFAULT true,
    "mainStreamUrl" TEXT NOT NULL,
    "subStreamUrl" TEXT,
    "onvifUrl" TEXT,
    "manufacturer" TEXT,
    "model" TEXT,
    "firmware" TEXT,
    "serial" TEXT,
    "credentialsEnc" TEXT,
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "motionConfig" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CameraAccess" (
    "cameraId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("cameraId", "userId"),
    CONSTRAINT "CameraAccess_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CameraAccess_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CameraStatus" (
    "cameraId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL DEFAULT 'unknown',
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME,
    "checkedAt" DATETIME,
    "lastError" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "firmware" TEXT,
    "videoCodec" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "fps" REAL,
    "bitrateKbps" INTEGER,
    "audioCodec" TEXT,
    "measuredAt" DATETIME,
    "checkBytes" INTEGER NOT NULL DEFAULT 0,
    "bytesSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CameraStatus_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CameraDiagnostic" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "CameraDiagnostic_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CameraAccess_userId_idx" ON "CameraAccess"("userId");

-- CreateIndex
CREATE INDEX "CameraDiagnostic_cameraId_at_idx" ON "CameraDiagnostic"("cameraId", "at");
