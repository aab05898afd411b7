#!/usr/bin/env python3
"""Record boto3's answers about partitions, regions and endpoints.

boto3 is made to read the same botocore data directory that
internal/endpoints embeds, by putting it first on the botocore loader's
search path, and the script checks that endpoints.json really came from
there. Usage, from internal/endpoints:

    python3 testdata/record_boto3.py ../../../shared/aws-data/botocore > testdata/boto3-<version>.json

The Go tests read the JSON; they never run Python.
"""
import json
import os
import sys

for k in list(os.environ):
    if k.startswith("AWS_"):
        del os.environ[k]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

import boto3  # noqa: E402
import botocore  # noqa: E402
import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402

DATA = os.path.abspath(sys.argv[1])

SERVICES = [
    "s3", "ec2", "dynamodb", "sqs", "sns", "sts", "iam", "lambda", "kms",
    "secretsmanager", "ssm", "cloudfront", "route53", "ses", "elbv2",
    "cloudwatch", "logs",
]
REGIONS = [
    None, "us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ca-west-1",
    "aws-global", "cn-north-1", "cn-northwest-1", "aws-cn-global",
    "us-gov-west-1", "us-gov-east-1", "aws-us-gov-global", "us-iso-east-1",
    "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1",
    "xx-bogus-1", "eu-foo-9", "local", "fips-us-east-1", "s3-external-1",
    "bad_region", "-us", "12345",
]
PARTITION_REGIONS = [
    "us-east-1", "eu-foo-9", "cn-north-1", "cn-foo-1", "us-gov-west-1",
    "us-gov-foo-7", "us-iso-east-1", "us-isob-east-1", "us-isob-foo-2",
    "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "eusc-fr-east-1",
    "aws-global", "aws-cn-global", "xx-bogus-1", "local", "", "us-east-1\n",
    "US-EAST-1", "us-east-x",
]


def new_session():
    s = botocore.session.get_session()
    s.set_config_variable("data_path", DATA)
    return s


def main():
    s = new_session()
    loader = s.get_component("data_loader")
    _, path = loader.load_data_with_path("endpoints")
    if not os.path.abspath(path).startswith(DATA):
        sys.exit("endpoints.json was loaded from %s, not %s" % (path, DATA))
    out = {
        "boto3_version": boto3.__version__,
        "botocore_version": botocore.__version__,
        "python": sys.executable,
        "partitions": s.get_available_partitions(),
        "regions": [],
        "partition_for_region": [],
        "resolve": [],
    }
    for svc in SERVICES:
        model = s.get_service_model(svc)
        prefix = model.endpoint_prefix
        for part in out["partitions"] + ["nope"]:
            for nonreg in (False, True):
                out["regions"].append({
                    "service": svc, "endpoint_prefix": prefix,
                    "partition": part, "allow_non_regional": nonreg,
                    "regions": s.get_available_regions(svc, part, nonreg),
                })
    for r in PARTITION_REGIONS:
        try:
            out["partition_for_region"].append({"region": r, "partition": s.get_partition_for_region(r)})
        except Exception as e:  # UnknownRegionError
            out["partition_for_region"].append({"region": r, "error": type(e).__name__})
    for svc in SERVICES:
        model = s.get_service_model(svc)
        modes = [None]
        if svc == "s3":
            modes = ["legacy", "regional"]
        if svc == "sts":
            modes = ["legacy", "regional"]
        for mode in modes:
            for region in REGIONS:
                for fips in (False, True):
                    for dual in (False, True):
                        s3cfg = None
                        if svc == "sts":
                            s.set_config_variable("sts_regional_endpoints", mode)
                        if svc == "s3":
                            s3cfg = {"us_east_1_regional_endpoint": mode}
                        cfg = Config(use_fips_endpoint=fips, use_dualstack_endpoint=dual, s3=s3cfg)
                        rec = {
                            "service": svc, "endpoint_prefix": model.endpoint_prefix,
                            "signing_name_model": model.metadata.get("signingName", ""),
                            "region": region or "", "fips": fips, "dualstack": dual,
                            "mode": mode or "",
                        }
                        try:
                            c = s.create_client(svc, region_name=region, config=cfg,
                                                aws_access_key_id="AKID", aws_secret_access_key="SECRET")
                            rec["url"] = c.meta.endpoint_url
                            rec["meta_region"] = c.meta.region_name
                            rec["signing_region"] = c._request_signer._region_name
                            rec["signing_name"] = c._request_signer._signing_name
                            rec["partition"] = c.meta.partition
                        except Exception as e:
                            rec["error"] = type(e).__name__
                        out["resolve"].append(rec)
        s.set_config_variable("sts_regional_endpoints", None)
    # One record per line keeps the golden file small and diffable.
    w = sys.stdout.write
    w("{\n")
    keys = sorted(out)
    for i, k in enumerate(keys):
        v = out[k]
        w(json.dumps(k) + ": ")
        if isinstance(v, list) and v and isinstance(v[0], dict):
            w("[\n" + ",\n".join("  " + json.dumps(x, sort_keys=True) for x in v) + "\n]")
        else:
            w(json.dumps(v))
        w(",\n" if i < len(keys) - 1 else "\n")
    w("}\n")


main()
