"""Logging filters, importable while settings are being configured."""

import logging


class WithoutTraceback(logging.Filter):
    """Log the record's message only: a request with a forged Host header is one line of
    noise, not fifteen lines of traceback, in production logs."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
