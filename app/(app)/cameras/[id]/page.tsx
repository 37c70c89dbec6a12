import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { LocalTime } from "@/app/_components/local-time";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { listCameraAccess } from "@/lib/cameras/access";
import { activeAlarmGuard, getMotionSettings } from "@/lib/cameras/motion-settings";
import { getCameraFor } from "@/lib/cameras/cameras";
import { getDetectionSettings } from "@/lib/cameras/detection-settings";
import { listDiagnostics } from "@/lib/cameras/diagnostics";
import { heartbeatBytesPerHour } from "@/lib/cameras/heartbeat";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { can } from "@/lib/household/roles";
import { getRequestLocale, getT } from "@/lib/http/locale";
import { formatBytes } from "@/lib/i18n/format";
import { householdPrivacyModeRole, maySwitchPrivacyMode } from "@/lib/privacy/privacy-mode";
import { readTimelapseSettings } from "@/lib/timelapse/timelapses";
import { StatusBadge } from "../status-badge";
import { CameraAdmin } from "./camera-admin";
import { DetectionSettingsPanel } from "./detection-settings";
import { DiagnosticsLog } from "./diagnostics-log";
import { MotionSettings } from "./motion-settings";
import { PrivacyControls } from "./privacy-controls";
import { RangeDelete } from "./range-delete";
import { TimelapseSettingsPanel } from "./timelapse-settings";

export default async function CameraPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePageViewer();
  const { id } = await params;
  const database = await db();
  let camera;
  try {
    camera = await getCameraFor(database, viewer, id);
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    if (isAppError(err) && err.code === "forbidden") {
      const { forbidden } = await import("next/navigation");
      forbidden();
    }
    throw err;
  }
  const [t, locale] = await Promise.all([getT(), getRequestLocale()]);
  const isAdmin = can(viewer.role, "cameras:manage");
  const [diagnostics, access, perHour, motion, detection, guard, privacyModeRole, timelapse] = await Promise.all([
    listDiagnostics(database, id),
    isAdmin ? listCameraAccess(database, id) : null,
    heartbeatBytesPerHour(database, id),
    isAdmin ? getMotionSettings(database, id) : null,
    isAdmin ? getDetectionSettings(database, id) : null,
    activeAlarmGuard(database, id),
    householdPrivacyModeRole(database),
    isAdmin ? readTimelapseSettings(database, id) : null,
  ]);
  const s = camera.status;
  const facts: [string, string | null][] = [
    [t("cameras.lastSeen", { time: "" }).replace(/\s*$/, ""), s.lastSeenAt],
    [t("cameras.firmware"), camera.firmware],
    [t("cameras.maker"), [camera.manufacturer, camera.model].filter(Boolean).join(" ") || null],
    [t("cameras.codec"), s.videoCodec?.toUpperCase() ?? null],
    [t("cameras.resolution"), s.width ? `${s.width}×${s.height}` : null],
    [t("cameras.frameRate"), s.fps ? t("cameras.fps", { fps: s.fps }) : null],
    [t("cameras.bitrate"), s.bitrateKbps ? t("cameras.kbps", { kbps: s.bitrateKbps }) : null],
    [t("cameras.audio"), s.videoCodec ? (s.audioCodec ? `${s.audioCodec}${camera.recordSound ? ` · ${t("privacy.mode.sound")} ✓` : ""}` : t("cameras.noAudio")) : null],
    [t("cameras.streamUrl"), camera.mainStreamUrl],
    [t("cameras.subStreamUrl"), camera.subStreamUrl],
    [t("cameras.retention"), t("cameras.retentionDays", { days: camera.retentionDays })],
    [t("cameras.heartbeat"), perHour === null ? null : t("cameras.heartbeatValue", { size: formatBytes(locale, perHour) })],
  ];
  return (
    <>
      <AutoRefresh seconds={5} />
      <Link href="/cameras" className="text-sm text-brand-600 hover:underline">
        ← {t("cameras.back")}
      </Link>
      <PageHeader title={camera.name}>
        <StatusBadge state={s.state} since={s.since} isEnabled={camera.isEnabled} />
      </PageHeader>
      {guard ? (
        <div role="alert" data-testid="alarm-guard" className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          <p className="font-semibold">{t("motion.guardTitle")}</p>
          <p>{guard.reason === "long_event" ? t("motion.guardLong") : t("motion.guardAlarm", { percent: Math.round((guard.alarmFraction ?? 0) * 100) })}</p>
        </div>
      ) : null}
      {s.recordingProblem ? (
        <div role="alert" data-testid="recording-problem" className="mb-6 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          <p className="font-semibold">{t("cameras.recordingProblem", { problem: s.recordingProblem })}</p>
          <p>
            {t("cameras.recordingProblemHint")} <LocalTime value={s.recordingProblemSince} fallback="—" />
          </p>
        </div>
      ) : null}
      <PrivacyControls
        key={`${camera.privacyMode}-${camera.recordingEnabled}-${camera.recordSound}`}
        cameraId={camera.id}
        privacyMode={camera.privacyMode}
        recordingEnabled={camera.recordingEnabled}
        audioCodec={s.audioCodec}
        recordSound={camera.recordSound}
        // The viewer sees this camera (getCameraFor checked it).
        canSwitchPrivacy={maySwitchPrivacyMode(viewer.role, privacyModeRole, true)}
        canChangeRecording={isAdmin}
        privacyModeRole={privacyModeRole}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card min-w-0" aria-labelledby="details-heading">
          <h2 id="details-heading" className="mb-4 text-lg font-semibold">
            {t("cameras.details")}
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            {facts.map(([label, value], i) => (
              <div key={i} className="min-w-0">
                <dt className="text-zinc-500">{label}</dt>
                <dd className="break-all" data-testid={`fact-${i}`}>
                  {i === 0 ? <LocalTime value={value} fallback={t("cameras.never")} /> : (value ?? "—")}
                </dd>
              </div>
            ))}
          </dl>
        </section>
        <DiagnosticsLog cameraId={camera.id} initial={diagnostics} />
      </div>
      {isAdmin && motion ? <MotionSettings cameraId={camera.id} initial={motion} hasOnvif={camera.onvifUrl !== null} /> : null}
      {isAdmin && detection ? <DetectionSettingsPanel cameraId={camera.id} view={detection} /> : null}
      {isAdmin && timelapse ? <TimelapseSettingsPanel cameraId={camera.id} initial={timelapse} retentionDays={camera.retentionDays} /> : null}
      {can(viewer.role, "events:delete-range") ? <RangeDelete cameraId={camera.id} cameraName={camera.name} /> : null}
      {isAdmin && access ? <CameraAdmin camera={camera} members={access} /> : null}
    </>
  );
}
