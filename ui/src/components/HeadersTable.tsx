import { visible } from "../lib/text";
interface Props {
  headers: [string, string][];
  caption: string;
  testId?: string;
}

export default function HeadersTable({ headers, caption, testId }: Props) {
  if (headers.length === 0) return <p className="muted">{caption}: none.</p>;
  return (
    <table className="table headers" data-testid={testId}>
      <caption>{caption}</caption>
      <tbody>
        {headers.map(([k, v], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat (Set-Cookie) and the list never changes order
          <tr key={`${k}-${i}`}>
            <th scope="row">
              <code>{k}</code>
            </th>
            <td className="selectable">{visible(v, false)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
