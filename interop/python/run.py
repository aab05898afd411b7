"""Runs the test_*.py modules beside it and prints "interop python <boto3 version>: N passed, N failed, N skipped"."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boto3  # noqa: E402

suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
print("interop python %s: %d passed, %d failed, %d skipped" % (boto3.__version__, passed, failed, skipped))
sys.exit(1 if failed or result.testsRun == 0 else 0)
