import { PonderError } from "../../core/errors.js";

/** The request cannot be made to fit the model's window: a clear stop instead of a provider error. */
export class ContextWindowError extends PonderError {
  constructor(message: string, hint: string) {
    super("context_window_too_small", message, { hint });
  }
}
