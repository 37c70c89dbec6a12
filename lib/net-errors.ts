// How a failed outbound connection reads in a delivery log or a status line: one short phrase per Node system error
// code, shared by everything that calls out (webhooks, push). Pure.

/** A short reason for a network error code (`ECONNREFUSED`…), or null when the code is not one of the known ones. */
export function describeNetworkErrorCode(code: string | undefined | null): string | null {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host does not resolve";
    case "ECONNRESET":
      return "connection reset";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "ETIMEDOUT":
      return "connection timed out";
    default:
      return null;
  }
}
