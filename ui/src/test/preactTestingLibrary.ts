// Vitest setup file (vite.config.ts `test.setupFiles`): makes @testing-library/preact, which the tests
// get when they import @testing-library/react (alias in vite.config.ts), fire `change` the way a user does.
//
// Under preact/compat `onChange` listens to `input` on text inputs and textareas (as React does) but to
// `change` on selects, checkboxes, radios and file inputs. @testing-library/preact renames every
// `fireEvent.change` to an `input` event, so a select's or a checkbox's onChange never ran. A browser
// fires `input` and then `change` for a select or checkbox pick; fire both, as one act, so each control
// sees the event its handler listens to and the tree re-renders once, after both.
import { act, createEvent, fireEvent } from "@testing-library/preact";

fireEvent.change = (element, init) => {
  let notCancelled = false;
  act(() => {
    fireEvent(element, createEvent.input(element, init));
    notCancelled = fireEvent(element, createEvent.change(element, init));
  });
  return notCancelled;
};
