import type { JwtParts } from "../api";
import { isJsonObject } from "../lib/json";
import { visible } from "../lib/text";
import ClaimsTable from "./ClaimsTable";

interface Props {
  jwt: JwtParts;
  now: number;
  /** "Access token" or "ID token". */
  name: string;
}

/** What a JWT's header says about its signature: unsigned (`alg: none`), or signed with its alg. */
export function jwtKindLabel(jwt: JwtParts): string {
  if (jwt.encrypted) return "encrypted JWT (JWE)";
  const alg = isJsonObject(jwt.header) ? jwt.header.alg : undefined;
  if (typeof alg === "string" && alg.toLowerCase() === "none") return "unsigned JWT (alg: none)";
  return `signed JWT (JWS${typeof alg === "string" ? `, ${visible(alg)}` : ""})`;
}

/** A JWT's header and claims as tables; a JWE shows its header and says the rest is encrypted. */
export default function JwtView({ jwt, now, name }: Props) {
  const label = jwtKindLabel(jwt);
  return (
    <div className="jwt">
      <ClaimsTable value={jwt.header} now={now} caption={`${name}: header`} testId="jwt-header" rowPrefix="header-" />
      {jwt.encrypted || jwt.claims === null ? (
        <p className="muted" data-testid="jwt-encrypted">
          {name} is encrypted (JWE): only the recipient's key can read its claims.
        </p>
      ) : (
        <ClaimsTable value={jwt.claims} now={now} caption={`${name}: claims`} testId="claims-table" />
      )}
      {!jwt.encrypted && (
        <p className="muted" data-testid="jwt-signature">
          {label.startsWith("unsigned")
            ? `${name}: ${label} — no signature, so anyone could have written it.`
            : `${name}: ${label}, ${jwt.signature_length} characters of signature; whether it verifies is under Token truth.`}
        </p>
      )}
    </div>
  );
}
