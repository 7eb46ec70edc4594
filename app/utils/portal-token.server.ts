import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Magic-link tokens (ARCHITECTURE §5): HS256 JWT, algorithm pinned on verify,
 * issuer + audience checked, `jti` backed by an AccessLink row (revocable).
 */
export const TOKEN_ISSUER = "relance";
export const TOKEN_AUDIENCE = "portal";

export type PortalClaims = { debtorId: string; creditorId: string; jti: string; expiresAt: Date };

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signPortalToken(secret: string, claims: PortalClaims): Promise<string> {
  return new SignJWT({ crd: claims.creditorId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.debtorId)
    .setJti(claims.jti)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(key(secret));
}

export type TokenCheck = { ok: true; claims: PortalClaims } | { ok: false; reason: "expired" | "invalid"; jti?: string };

export async function verifyPortalToken(secret: string, token: string, now: Date): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ["HS256"],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      currentDate: now,
      requiredClaims: ["sub", "jti", "exp", "crd"],
    });
    if (typeof payload.crd !== "string") return { ok: false, reason: "invalid" };
    return {
      ok: true,
      claims: { debtorId: payload.sub!, creditorId: payload.crd, jti: payload.jti!, expiresAt: new Date(payload.exp! * 1000) },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return { ok: false, reason: "expired", jti: typeof error.payload.jti === "string" ? error.payload.jti : undefined };
    }
    return { ok: false, reason: "invalid" };
  }
}
