/** An input's error, under it: `id` is what the input's aria-describedby names. Nothing when there is no error. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="ol-error" id={id} role="alert">
      {message}
    </p>
  );
}
