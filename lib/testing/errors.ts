// Test support: what a promise ended with, as an AppError code ("ok" when it resolved).
import { isAppError } from "../errors";

export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
}
