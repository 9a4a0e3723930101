import { describe, expect, it } from "vitest";
import { checkDetails, detailTypes, insertTemplate } from "./authorizationDetails";

describe("authorization_details checks (RFC 9396 §2)", () => {
  it("accepts an array of typed objects, a single object, and empty as none", () => {
    const ok = checkDetails('[{"type":"payment_initiation","actions":["initiate"]}]');
    expect(ok.ok && detailTypes(ok.value), "the type is read").toEqual(["payment_initiation"]);
    const one = checkDetails('{"type":"account_information"}');
    expect(one.ok && one.value, "a single object is an array of one").toEqual([{ type: "account_information" }]);
    expect(checkDetails("  "), "empty is none").toEqual({ ok: true, value: null });
  });

  it("refuses malformed details in words, with the entry's index", () => {
    const cases: [string, string][] = [
      ["[{", "Not JSON"],
      ['"x"', "Must be a JSON array"],
      ["[]", "The array is empty"],
      ['[{"type":"a"}, 1]', "Entry 1 is not a JSON object"],
      ['[{"type":"a"}, {"actions":[]}]', "Entry 1 has no `type`"],
      ['[{"type":""}]', "Entry 0: `type` must be a non-empty string"],
      ['[{"type":"a","actions":"read"}]', "Entry 0: `actions` must be an array"],
    ];
    for (const [text, words] of cases) {
      const r = checkDetails(text);
      expect(r.ok, `${text} is refused`).toBe(false);
      if (!r.ok) expect(r.message, `${text} is refused with "${words}"`).toContain(words);
    }
  });

  it("inserts a template of a type into valid details only", () => {
    const first = insertTemplate("", "account_information");
    expect(first && JSON.parse(first), "an empty field gets an array with the template").toEqual([{ type: "account_information", actions: ["list_accounts", "read_balances", "read_transactions"], locations: ["https://example.com/accounts"] }]);
    const second = insertTemplate(first ?? "", "custom");
    expect(second && detailTypes(JSON.parse(second)), "appended after what is there").toEqual(["account_information", "custom"]);
    expect(insertTemplate("[{", "custom"), "nothing inserted into text that is not valid").toBeNull();
  });
});
