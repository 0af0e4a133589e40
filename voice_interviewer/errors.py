"""One error type for everything the user can fix, always with what to do next."""


class UserFacingError(Exception):
    """An error whose message is shown as-is, with a hint, and no traceback."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  -> {self.hint}" if self.hint else self.message


class AudioFileError(UserFacingError):
    """An audio file that is missing, damaged or unusable."""


class AudioDeviceError(UserFacingError):
    """No sound card, no PortAudio, or a device that cannot be opened."""


class ModelError(UserFacingError):
    """A model that is missing, incomplete or fails its checksum."""


class LLMUnavailableError(UserFacingError):
    """The LLM endpoint is down, too slow, or answered something unusable."""
