import Link from "next/link";

export function StepError({ message }: { message: string }) {
  return (
    <section className="card" aria-labelledby="step-error-heading">
      <h2 id="step-error-heading">We could not continue</h2>
      <p role="alert" className="error">
        {message}
      </p>
      <Link className="button" href="/avatar/new">
        Start again
      </Link>
    </section>
  );
}
