const STEPS = ["Upload", "Crop", "Save"] as const;

/** Where the user is in the wizard; the URL carries the state, this only shows it. */
export function WizardSteps({ current }: { current: 1 | 2 | 3 }) {
  return (
    <nav aria-label="Progress">
      <ol className="steps">
        {STEPS.map((label, index) => (
          <li key={label} aria-current={index + 1 === current ? "step" : undefined} className={index + 1 <= current ? "done" : undefined}>
            {index + 1}. {label}
          </li>
        ))}
      </ol>
    </nav>
  );
}
