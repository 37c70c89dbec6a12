-- CreateTable
CREATE TABLE "Activity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "subjectId" TEXT,
    "action" TEXT NOT NULL,
    "cameraId" TEXT,
    "targetId" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "ExportJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "filters" TEXT NOT NULL DEFAULT '{}',
    "bytesDone" REAL NOT NULL DEFAULT 0,
    "bytesTotal" REAL NOT NULL DEFAULT 0,
    "file" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "expiresAt" DATETIME,
    CONSTRAINT "ExportJob_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PendingFileDeletion" (
    "path" TEXT NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
INSERT INTO "new_Camera" ("createdAt", "credentialsEnc", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "retentionDays", "serial", "subStreamUrl", "updatedAt") SELECT "createdAt", "credentialsEnc", "firmware", "id", "isEnabled", "mainStreamUrl", "manufacturer", "model", "motionConfig", "name", "onvifUrl", "retentionDays", "serial", "subStreamUrl", "updatedAt" FROM "Camera";
DROP TABLE "Camera";
ALTER TABLE "new_Camera" RENAME TO "Camera";
CREATE TABLE "new_Household" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "name" TEXT NOT NULL,
    "storageQuotaMb" INTEGER,
    "diagnosticsRetentionDays" INTEGER NOT NULL DEFAULT 90,
    "activityRetentionDays" INTEGER NOT NULL DEFAULT 90,
    "privacyModeRole" TEXT NOT NULL DEFAULT 'admin',
    "exportMediaScope" TEXT NOT NULL DEFAULT 'visible',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Household" ("createdAt", "id", "name") SELECT "createdAt", "id", "name" FROM "Household";
DROP TABLE "Household";
ALTER TABLE "new_Household" RENAME TO "Household";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Activity_actorId_at_idx" ON "Activity"("actorId", "at");

-- CreateIndex
CREATE INDEX "Activity_subjectId_idx" ON "Activity"("subjectId");

-- CreateIndex
CREATE INDEX "Activity_at_idx" ON "Activity"("at");

-- CreateIndex
CREATE INDEX "ExportJob_userId_createdAt_idx" ON "ExportJob"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ExportJob_status_idx" ON "ExportJob"("status");
