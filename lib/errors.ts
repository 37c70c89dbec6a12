// The error taxonomy: lib/ throws AppError(code); the route wrapper maps the code to an HTTP status in one place
// and the message to the user's language (messages under "errors.<code>" in lib/i18n/messages).

export const ERROR_STATUS = {
  validation: 400,
  bad_json: 400,
  weak_password: 400,
  common_password: 400,
  password_reused: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  wrong_password: 403,
  account_disabled: 403,
  forbidden: 403,
  bad_origin: 403,
  unknown_host: 403,
  password_change_required: 403,
  not_found: 404,
  email_taken: 409,
  username_taken: 409,
  already_set_up: 409,
  setup_required: 409,
  last_admin: 409,
  owner_protected: 409,
  cannot_change_self: 409,
  invite_invalid: 410,
  invalid_stream_url: 400,
  camera_unreachable: 422,
  camera_auth_failed: 422,
  camera_timeout: 422,
  camera_not_found: 422,
  camera_not_a_stream: 422,
  camera_no_video: 422,
  camera_probe_failed: 422,
  camera_bad_response: 502,
  multicast_unavailable: 503,
  not_onvif: 422,
  invalid_range: 400,
  range_too_large: 400,
  range_not_allowed: 400,
  payload_too_large: 413,
  export_no_space: 507,
  unsupported_media_type: 415,
  throttled: 429,
  live_unavailable: 503,
  webrtc_offer_invalid: 400,
  webrtc_codec_unsupported: 415,
  webrtc_limit: 429,
  copy_queue_full: 503,
  privacy_mode: 409,
  no_ptz: 409,
  no_timelapse_frames: 422,
  event_not_joinable: 409,
  copies_not_ready: 409,
  invalid_timelapse_range: 400,
  timelapse_range_too_large: 400,
  ptz_unavailable: 503,
  ptz_refused: 422,
  invalid_date_range: 400,
  event_protected: 409,
  export_in_progress: 409,
  export_not_ready: 409,
  export_expired: 410,
  confirmation_mismatch: 400,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Values interpolated into the localized message, e.g. { seconds: 120 }. */
export type ErrorParams = Record<string, string | number>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  /** Per-field problems for forms: field name → error code. */
  readonly fields?: Record<string, string>;

  constructor(code: ErrorCode, params: ErrorParams = {}, fields?: Record<string, string>) {
    super(code);
    this.name = "AppError";
    this.code = code;
    this.params = params;
    this.fields = fields;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
