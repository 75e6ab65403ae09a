#!/usr/bin/python3
"""Validates the objects `ocibench k8s` wrote (objects.json, a v1 List) against the Kubernetes
API offline, with the models of Debian's python3-kubernetes: each item is deserialized into
its model class (V1Namespace, V1RuntimeClass, V1Job) and serialized back; a field that does
not survive the round trip is not in the API (misspelled or misplaced), a value that comes
back different has the wrong type, and a model's own checks reject missing required fields
and bad enum values. Exit 0: valid; 1: invalid (one line per problem); 2: usage.

kubectl cannot do this here: its client-side checks (--validate, --dry-run=client) fetch the
schema and the API's kinds from a server.

  validate_objects.py OBJECTS_JSON
"""
import json
import sys

try:
    import kubernetes
    from kubernetes.client import ApiClient
except ImportError:
    print("validate_objects: python3-kubernetes is not installed (apt install "
          "python3-kubernetes)", file=sys.stderr)
    sys.exit(77)

MODELS = {
    ("v1", "Namespace"): "V1Namespace",
    ("node.k8s.io/v1", "RuntimeClass"): "V1RuntimeClass",
    ("batch/v1", "Job"): "V1Job",
}

# Fields of the API newer than the models of this client, that ocibench uses on purpose:
# path suffix -> the API version that added it. They are reported, never called validated.
NEWER_THAN_MODELS = {
    "initContainers[].restartPolicy": "Kubernetes 1.28 (native sidecar containers)",
}


class _Response:
    """What ApiClient.deserialize reads: an object with .data holding JSON text."""

    def __init__(self, obj):
        self.data = json.dumps(obj)


def _norm(path):
    out, i = [], 0
    while i < len(path):
        if path[i] == "[":
            j = path.index("]", i)
            out.append("[]")
            i = j + 1
        else:
            out.append(path[i])
            i += 1
    return "".join(out)


def diff(want, got, path, problems, newer):
    """Every difference between the object written and its round trip through the model."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            problems.append(f"{path}: expected an object, the API model has {type(got).__name__}")
            return
        for k, v in want.items():
            p = f"{path}.{k}" if path else k
            if k not in got:
                n = _norm(p)
                hit = [s for s in NEWER_THAN_MODELS if n.endswith(s)]
                if hit:
                    newer.append(f"{p}: not in python3-kubernetes {kubernetes.__version__}'s "
                                 f"models (added in {NEWER_THAN_MODELS[hit[0]]}): not validated")
                else:
                    problems.append(f"{p}: not a field of the Kubernetes API")
                continue
            diff(v, got[k], p, problems, newer)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            problems.append(f"{path}: a list in the object, not in the model")
            return
        for i, (a, b) in enumerate(zip(want, got)):
            diff(a, b, f"{path}[{i}]", problems, newer)
    elif want != got or type(want) is not type(got):
        problems.append(f"{path}: {want!r} comes back as {got!r} (wrong type)")


def validate(doc):
    problems, newer = [], []
    if doc.get("apiVersion") != "v1" or doc.get("kind") != "List":
        return ["top: not a v1 List"], newer
    api = ApiClient()
    for i, item in enumerate(doc.get("items", [])):
        key = (item.get("apiVersion"), item.get("kind"))
        name = item.get("metadata", {}).get("name", "?")
        where = f"items[{i}] {key[1]} {name}"
        model = MODELS.get(key)
        if model is None:
            problems.append(f"{where}: apiVersion/kind {key} is not one ocibench writes")
            continue
        try:
            obj = api.deserialize(_Response(item), model)
        except (ValueError, TypeError) as e:
            problems.append(f"{where}: {e}")
            continue
        back = api.sanitize_for_serialization(obj)
        p, n = [], []
        diff(item, back, "", p, n)
        problems += [f"{where}: {x}" for x in p]
        newer += [f"{where}: {x}" for x in n]
    return problems, newer


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate_objects: {sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    problems, newer = validate(doc)
    for line in newer:
        print(f"note: {line}")
    for line in problems:
        print(f"invalid: {line}")
    n = len(doc.get("items", []))
    print(f"{sys.argv[1]}: {n} object(s), {len(problems)} problem(s), {len(newer)} field(s) newer "
          f"than python3-kubernetes {kubernetes.__version__}'s models")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
