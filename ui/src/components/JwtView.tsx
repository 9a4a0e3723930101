import type { JwtParts } from "../api";
import ClaimsTable from "./ClaimsTable";

interface Props {
  jwt: JwtParts;
  now: number;
  /** "Access token" or "ID token". */
  name: string;
}

/** A JWT's header and claims as tables; a JWE shows its header and says the rest is encrypted. */
export default function JwtView({ jwt, now, name }: Props) {
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
        <p className="muted">
          Signature: {jwt.signature_length > 0 ? `${jwt.signature_length} bytes` : "none (alg none?)"}; decoded here, not verified.
        </p>
      )}
    </div>
  );
}
