"""Progress bars for management commands: tqdm drawn on the command's own stderr."""


class ProgressStream:
    """Hands tqdm a command's stderr (``self.stderr``) without OutputWrapper's added line endings (tqdm redraws with
    \\r), so a test's ``call_command(..., stderr=...)`` captures the bar like any other output."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

    def flush(self) -> None:
        self._wrapper.flush()
