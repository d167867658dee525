// Only the help text: `ponder steer --help` answers without loading the command.

export const steerHelp = `Usage: ponder steer <run-id> "<message>" [--interrupt] [--json]

Sends the model a message from you. It is stored at once and the run reads it at its next
step boundary (after the current model turn or tool calls), wherever the run is advancing;
a queued run reads it when it starts.

  --interrupt   cut the model's current turn short (mid-thought) so it reads the message now;
                what it had written in that turn is dropped. Tool calls in progress finish.`;
