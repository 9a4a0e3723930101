import { visible } from "../lib/text";
import "../styles/decode.css";

const JWS_PARTS = ["header", "payload", "signature"] as const;
const JWE_PARTS = ["header", "encrypted key", "IV", "ciphertext", "tag"] as const;

interface Props {
  segments: string[];
  /** `jwe` names five parts; anything else three. */
  kind: string;
  /** The segment that does not decode, marked. */
  problemSegment?: number | null;
}

/** The pasted token with each segment in its own colour (header, payload, signature), as jwt.io does. */
export default function JwtSegments({ segments, kind, problemSegment = null }: Props) {
  const names: readonly string[] = kind === "jwe" ? JWE_PARTS : JWS_PARTS;
  const name = (i: number) => names[i] ?? `segment ${i + 1}`;
  return (
    <figure className="jwt-segments" data-testid="decode-segments">
      <code className="jwt-token selectable">
        {segments.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a segment is named by its position, and two may be equal
          <span key={i}>
            {i > 0 && <span className="jwt-dot">.</span>}
            <span
              className={`jwt-seg jwt-seg-${i}${i === problemSegment ? " jwt-seg-problem" : ""}`}
              data-testid={`decode-segment-${i}`}
              data-part={name(i)}
              title={name(i)}
            >
              {s === "" ? <em className="muted">(empty {name(i)})</em> : visible(s, false)}
            </span>
          </span>
        ))}
      </code>
      <figcaption className="jwt-legend">
        {segments.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one legend entry per position
          <span key={i} className={`jwt-legend-item jwt-seg-${i}`}>
            {name(i)}
            {i === problemSegment ? " (does not decode)" : ""}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
