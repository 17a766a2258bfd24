"""Reads a model version registered from Java with the official MLflow Python client.

Usage: crosscheck.py TRACKING_URI NAME ALIAS DOWNLOAD_DIR; prints one JSON object.
"""
import hashlib
import json
import os
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.models import get_model_info

uri, name, alias, target = sys.argv[1:5]
mlflow.set_tracking_uri(uri)
client = MlflowClient()
version = client.get_model_version_by_alias(name, alias)
run = client.get_run(version.run_id)
info = get_model_info(f"models:/{name}@{alias}")
local = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}@{alias}", dst_path=target)
digests = {}
for root, _, files in os.walk(local):
    for f in files:
        path = os.path.join(root, f)
        with open(path, "rb") as fh:
            digests[os.path.relpath(path, local)] = hashlib.sha256(fh.read()).hexdigest()
print(json.dumps({
    "version": version.version,
    "aliases": list(version.aliases),
    "tags": dict(version.tags),
    "metrics": dict(run.data.metrics),
    "params": dict(run.data.params),
    "inputs": [c.name for c in info.signature.inputs.inputs],
    "input_types": sorted({str(c.type) for c in info.signature.inputs.inputs}),
    "outputs": [c.name for c in info.signature.outputs.inputs],
    "files": digests,
}))
