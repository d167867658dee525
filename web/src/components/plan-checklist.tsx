import type { Plan } from "../format/plan-steps.js";

const marks: Record<string, string> = { completed: "✓", in_progress: "▸", pending: "○" };

/**
 * A plan update where the model made it, folded to one line: the latest plan stands open above the
 * steps, so each earlier state is there to open without repeating it.
 */
export function PlanUpdate({ plan }: { plan: Plan }) {
  const done = plan.steps.filter((step) => step.status === "completed").length;
  const current = plan.steps.find((step) => step.status === "in_progress");
  return (
    <details className="plan-update foldable">
      <summary>
        <span className="role">Plan updated</span>{" "}
        <span className="muted">
          {done} of {plan.steps.length} done{current ? ` · now: ${current.text}` : ""}
        </span>
      </summary>
      <PlanChecklist plan={plan} title="The plan then" />
    </details>
  );
}

/** The model's plan as a checklist: done steps ticked, the current one marked. */
export function PlanChecklist({ plan, title = "Plan" }: { plan: Plan; title?: string }) {
  const done = plan.steps.filter((step) => step.status === "completed").length;
  return (
    <section className="plan-card" aria-label={title}>
      <h2>
        {title}{" "}
        <span className="muted">
          {done} of {plan.steps.length} done
        </span>
      </h2>
      {plan.explanation && <p className="muted">{plan.explanation}</p>}
      <ol className="checklist">
        {plan.steps.map((step, index) => (
          <li key={index} className={`plan-step plan-step-${step.status.replace(/[^\w-]/g, "")}`}>
            <span className="plan-mark" aria-label={step.status.replace(/_/g, " ")}>
              {marks[step.status] ?? "○"}
            </span>
            <span>{step.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
