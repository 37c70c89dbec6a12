-- Camera codecs and sound (issue 19): per camera "record sound" (off by default), each clip's codecs, and the reason
-- a camera's clips cannot be written.
ALTER TABLE "Camera" ADD COLUMN "recordSound" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "CameraStatus" ADD COLUMN "recordingProblem" TEXT;
ALTER TABLE "CameraStatus" ADD COLUMN "recordingProblemAt" DATETIME;
ALTER TABLE "Clip" ADD COLUMN "videoCodec" TEXT NOT NULL DEFAULT 'h264';
ALTER TABLE "Clip" ADD COLUMN "audioCodec" TEXT;
