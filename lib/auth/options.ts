// next-auth configuration: the Credentials provider (e-mail or username + password) with JWT session cookies.
// The cookie is httpOnly, SameSite=Lax, Secure when PUBLIC_URL is https, and lives SESSION_DAYS from sign-in.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db";
import { getEnv } from "../env";
import { isAppError } from "../errors";
import { getSecrets } from "../secrets";
import { clientAddress } from "./address";
import { signInWithPassword } from "./sign-in";
import { isSessionClaims, newSessionId, revokeSession } from "./viewer";

export function sessionCookieName(): string {
  return getEnv().isHttps ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** Built per request handler call, so that `next build` needs no secrets. */
export function authOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: getSecrets().sessionSecret,
    useSecureCookies: env.isHttps,
    session: { strategy: "jwt", maxAge: env.sessionMaxAgeSeconds },
    jwt: { maxAge: env.sessionMaxAgeSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "password",
        credentials: { login: { type: "text" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const login = String(credentials?.login ?? "").slice(0, 254);
          const password = String(credentials?.password ?? "").slice(0, 1024);
          try {
            const user = await signInWithPassword(await db(), { login, password, address: clientAddress(req.headers ?? {}) });
            return { id: user.id, sv: user.sessionVersion };
          } catch (err) {
            // next-auth passes the message to the client as `error`: a JSON code the sign-in form localizes.
            if (isAppError(err)) throw new Error(JSON.stringify({ code: err.code, params: err.params }));
            throw err;
          }
        },
      }),
    ],
    events: {
      // The Sign out button: next-auth clears the cookie in this browser; revoking its sid ends it everywhere it was
      // copied to (a replayed cookie gets 401 like any other ended session).
      async signOut({ token }) {
        await revokeSession(await db(), token, env.sessionMaxAgeSeconds);
      },
    },
    callbacks: {
      // Runs at sign-in (user set) and whenever the cookie is read; the claims never change after sign-in.
      async jwt({ token, user }) {
        if (user) {
          const u = user as unknown as { id: string; sv: number };
          return { uid: u.id, sv: u.sv, authAt: Date.now(), sid: newSessionId() };
        }
        return token;
      },
      async session({ session, token }) {
        return { expires: session.expires, user: isSessionClaims(token) ? { id: token.uid } : undefined } as typeof session;
      },
    },
  };
}
