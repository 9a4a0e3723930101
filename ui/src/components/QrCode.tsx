import { useMemo } from "react";
import { encode } from "uqr";

interface Props {
  text: string;
  testId?: string;
  size?: number;
}

/** A QR code drawn as inline SVG (no image request, nothing remote: the CSP stays strict). */
export default function QrCode({ text, testId, size = 168 }: Props) {
  const { path, modules } = useMemo(() => {
    const qr = encode(text, { ecc: "M", border: 2 });
    let d = "";
    for (const [y, row] of qr.data.entries()) {
      for (const [x, dark] of row.entries()) if (dark) d += `M${x} ${y}h1v1h-1z`;
    }
    return { path: d, modules: qr.size };
  }, [text]);
  return (
    <svg
      className="qr"
      data-testid={testId}
      role="img"
      aria-label={`QR code of ${text}`}
      width={size}
      height={size}
      viewBox={`0 0 ${modules} ${modules}`}
      shapeRendering="crispEdges"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
