"""Type text into a workbook's cells with LibreOffice Calc, as a person at the keyboard would, and save it.

Run by the system's Python, which has LibreOffice's ``uno`` module (Debian:
``python3-uno``), not by the test environment::

    /usr/bin/python3 tests/helpers/calc_typist.py SPEC.json

``SPEC.json`` holds ``soffice`` (the program), ``profile`` (a fresh user
profile folder), ``source`` and ``target`` (XLSX paths) and ``cells``, a list
of ``[sheet, cell, text]``.  Each text is entered through Calc's own input
command (``.uno:EnterString``, what pressing Enter after typing does), so Calc
decides what the text becomes: a date, a number, or text in a column
formatted as text, exactly as it would for a person.  Then the workbook is
saved in Calc's "Excel 2007-365" format.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import uuid
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException

#: How long Calc may take to start listening (a first start makes its profile).
STARTUP = 300.0


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + STARTUP
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def type_cells(spec: dict[str, Any]) -> None:
    pipe = "visits" + uuid.uuid4().hex
    office = subprocess.Popen(
        [
            spec["soffice"],
            f"-env:UserInstallation={uno.systemPathToFileUrl(spec['profile'])}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
    )
    try:
        context = _connect(pipe, office)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(spec["source"]), "_blank", 0, (_property("Hidden", True),)
        )
        frame = document.getCurrentController().getFrame()
        for sheet, cell, text in spec["cells"]:
            dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (_property("ToPoint", f"${sheet}.{cell}"),))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (_property("StringName", text),))
        document.storeToURL(
            uno.systemPathToFileUrl(spec["target"]), (_property("FilterName", "Calc MS Excel 2007 XML"),)
        )
        with contextlib.suppress(DisposedException):  # Calc may go before it answers
            desktop.terminate()  # (closing the document first makes a headless Calc 7.4 abort)
    finally:
        try:
            office.wait(timeout=120)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as spec:
        type_cells(json.load(spec))
