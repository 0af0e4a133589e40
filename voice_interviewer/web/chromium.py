"""Driving Debian's headless Chromium (via Selenium and chromium-driver) against the
page: for the browser tests, screenshots and the browser benchmarks. Not used by
`serve` itself; Selenium comes with the `test` extra.

The microphone is a WAV file (Chromium's fake capture device), the permission
prompt is answered yes, sound plays without a click, and nothing is fetched
from the network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) paths, or None when either is missing (scripts/install_chromium.sh installs both)."""
    browser = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    driver = shutil.which("chromedriver") or next((d for d in DRIVER_PATHS if Path(d).exists()), None)
    return (browser, driver) if browser and driver else None


def launch(mic_wav: Path | None = None, width: int = 1360, height: int = 900, fake_devices: bool = True,
           env: dict | None = None):
    """A headless Chromium under Selenium; the caller quits it.

    fake_devices=False: the system's real (e.g. PulseAudio) microphone and speaker, for echo measurements."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_chromium()
    if found is None:
        raise RuntimeError("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
    browser, driver = found
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
             "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
             f"--window-size={width},{height}"]
    if fake_devices:
        flags += ["--use-fake-device-for-media-stream", "--mute-audio"]
    for flag in flags:
        opts.add_argument(flag)
    if mic_wav is not None:
        opts.add_argument(f"--use-file-for-fake-audio-capture={mic_wav}%noloop")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=opts, service=Service(executable_path=driver, env=env))
