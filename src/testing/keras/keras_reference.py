#!/usr/bin/python3
"""Test support: an independent reader of Keras model files and a plain numpy forward pass (no TensorFlow, no
TensorFlow.js, none of Digit Lab's code), to check what Digit Lab reads and writes against.

Reads Keras 2 full-model .h5 files (and Keras 3's legacy .h5) with h5py, following each layer's `weight_names`,
and Keras 3 .keras zips (config.json + model.weights.h5, weights under layers/<key>/vars/N, the key made from the
layer's class in snake_case with a per-class counter). Debian: apt-get install -y python3-h5py python3-numpy.

  keras_reference.py describe FILE            -> JSON: root attributes, layers, their weights and shapes
  keras_reference.py predict FILE INPUTS N    -> JSON: N rows of ten probabilities; INPUTS is N*784 float32
  keras_reference.py write-test FILE KIND     -> writes a small test file (see write_test)
  keras_reference.py write-functional FILE 2|3  -> a functional CNN without softmax, Keras 2 .h5 or Keras 3 .keras
  keras_reference.py write-windows-keras FILE SOURCE -> SOURCE as tf.keras 2.13 on Windows wrote .keras files

A model whose last layer is not a softmax is read through one, as Digit Lab does.
"""
import io
import json
import re
import sys
import zipfile

import h5py
import numpy as np


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [text(v) for v in value.tolist()]
    if isinstance(value, list):
        return [text(v) for v in value]
    return value


def snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layers_of(config):
    """The layers of a Sequential or functional config, as (class_name, config, inbound layer names)."""
    inner = config["config"]
    layers = inner if isinstance(inner, list) else inner["layers"]
    out = []
    for i, layer in enumerate(layers):
        inbound = []
        for node in layer.get("inbound_nodes", []) or []:
            if isinstance(node, dict):  # Keras 3
                def tensors(v):
                    if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
                        yield v["config"]["keras_history"][0]
                    elif isinstance(v, dict):
                        for x in v.values():
                            yield from tensors(x)
                    elif isinstance(v, list):
                        for x in v:
                            yield from tensors(x)
                inbound += list(tensors(node["args"]))
            else:
                inbound += [t[0] for t in node]
        name = layer["config"].get("name", layer.get("name"))
        out.append({"class": layer["class_name"], "config": layer["config"], "name": name, "inbound": inbound})
    return out


def open_model(path):
    """(config, {layer name: [arrays]}, description)."""
    if path.endswith(".keras"):
        z = zipfile.ZipFile(path)
        config = json.loads(z.read("config.json"))
        f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = layers_of(config)
        # Layer groups: Keras 3's layers/<key>, tf.keras 2.13-2.15's _layer_checkpoint_dependencies/<key> (on
        # Windows a top-level "_layer_checkpoint_dependencies\\<key>"). Keys are the class in snake_case with a
        # counter, which may skip: each class's keys, by counter, go to its layers in order.
        groups = {}
        for root in ("layers", "_layer_checkpoint_dependencies"):
            if root in f:
                groups.update({k: f[root][k] for k in f[root].keys()})
            groups.update({k[len(root) + 1:]: f[k] for k in f.keys() if k.startswith(root + "\\")})
        weights, taken = {}, {}
        for layer in layers:
            if layer["class"] == "InputLayer":
                continue
            base = snake(layer["class"])
            if base not in taken:
                mine = [k for k in groups if re.fullmatch(re.escape(base) + r"(_\d+)?", k)]
                taken[base] = sorted(mine, key=lambda k: 0 if k == base else int(k[len(base) + 1:]))
            key = taken[base].pop(0) if taken[base] else None
            group = groups[key]["vars"] if key is not None else {}
            weights[layer["name"]] = [np.array(group[k]) for k in sorted(group.keys(), key=int)]
        meta = json.loads(z.read("metadata.json")) if "metadata.json" in z.namelist() else {}
        description = {"format": "keras", "metadata": meta, "entries": sorted(z.namelist()),
                       "weight_keys": sorted(groups.keys())}
        return config, weights, description
    f = h5py.File(path, "r")
    config = json.loads(text(f.attrs["model_config"]))
    group = f["model_weights"]
    weights = {}
    for name in text(group.attrs["layer_names"]):
        names = text(group[name].attrs["weight_names"])
        weights[name] = [np.array(group[name][w]) for w in names]
    description = {"format": "h5", "attrs": {k: text(f.attrs[k]) for k in f.attrs.keys() if k != "model_config"},
                   "layer_names": text(group.attrs["layer_names"]),
                   "weight_names": {n: text(group[n].attrs["weight_names"]) for n in text(group.attrs["layer_names"])},
                   "model_weights_attrs": sorted(group.attrs.keys())}
    return config, weights, description


def activation(name, x):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    raise ValueError("activation %s" % name)


def pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def conv2d(x, kernel, bias, cfg):
    kh, kw, _, out = kernel.shape
    sh, sw = pair(cfg.get("strides", 1))
    if cfg.get("padding", "valid") == "same":
        n, h, w, _ = x.shape
        oh, ow = -(-h // sh), -(-w // sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    n, h, w, c = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((n, oh, ow, out), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]
            y += patch @ kernel[i, j].astype(np.float64)
    if bias is not None:
        y += bias
    return y


def max_pool(x, cfg):
    ph, pw = pair(cfg.get("pool_size", 2))
    sh, sw = pair(cfg.get("strides") or cfg.get("pool_size", 2))
    n, h, w, c = x.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    y = np.full((n, oh, ow, c), -np.inf)
    for i in range(ph):
        for j in range(pw):
            y = np.maximum(y, x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :])
    return y


def average_pool(x, cfg):
    ph, pw = pair(cfg.get("pool_size", 2))
    sh, sw = pair(cfg.get("strides") or cfg.get("pool_size", 2))
    n, h, w, c = x.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    y = np.zeros((n, oh, ow, c))
    for i in range(ph):
        for j in range(pw):
            y += x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]
    return y / (ph * pw)


def apply(layer, x, w):
    cls, cfg = layer["class"], layer["config"]
    if cls in ("InputLayer", "Dropout", "SpatialDropout2D", "GaussianNoise", "ActivityRegularization"):
        return x
    if cls == "Conv2D":
        return activation(cfg.get("activation"), conv2d(x, w[0], w[1] if len(w) > 1 else None, cfg))
    if cls == "MaxPooling2D":
        return max_pool(x, cfg)
    if cls == "AveragePooling2D":
        return average_pool(x, cfg)
    if cls == "Flatten":  # of a flat input too: Keras lets that pass
        return x.reshape(x.shape[0], -1)
    if cls == "Reshape":
        return x.reshape((x.shape[0],) + tuple(cfg["target_shape"]))
    if cls == "Dense":
        y = x @ w[0].astype(np.float64)
        if len(w) > 1:
            y = y + w[1]
        return activation(cfg.get("activation"), y)
    if cls == "Activation":
        return activation(cfg["activation"], x)
    if cls == "Softmax":
        return activation("softmax", x)
    if cls == "ReLU":
        return np.maximum(x, 0)
    if cls == "BatchNormalization":
        i = 0
        gamma = w[i] if cfg.get("scale", True) else 1.0
        i += 1 if cfg.get("scale", True) else 0
        beta = w[i] if cfg.get("center", True) else 0.0
        i += 1 if cfg.get("center", True) else 0
        mean, var = w[i], w[i + 1]
        return (x - mean) / np.sqrt(var + cfg.get("epsilon", 1e-3)) * gamma + beta
    raise ValueError("layer class %s" % cls)


def input_shape(layers):
    for layer in layers:
        cfg = layer["config"]
        shape = cfg.get("batch_input_shape") or cfg.get("batch_shape")
        if shape:
            return tuple(shape[1:])
    raise ValueError("no input shape")


def predict(path, inputs):
    config, weights, _ = open_model(path)
    layers = layers_of(config)
    x = inputs.astype(np.float64).reshape((inputs.shape[0],) + input_shape(layers))
    sequential = config["class_name"] == "Sequential"
    y, outputs = x, {}
    for layer in layers:
        source = y if sequential else (outputs[layer["inbound"][0]] if layer["inbound"] else x)
        y = x if layer["class"] == "InputLayer" else apply(layer, source, weights.get(layer["name"], []))
        outputs[layer["name"]] = y
    if not sequential:
        out = config["config"]["output_layers"]
        y = outputs[out[0][0] if isinstance(out[0], list) else out[0]]
    if not np.allclose(y.sum(axis=1), 1, atol=1e-4) or (y < 0).any():
        y = activation("softmax", y)
    return y


def describe(path):
    config, weights, description = open_model(path)
    description["model_class"] = config["class_name"]
    description["layers"] = [{"name": l["name"], "class": l["class"],
                              "weights": [list(a.shape) for a in weights.get(l["name"], [])]} for l in layers_of(config)]
    return description


def write_windows_keras(path, source):
    """`source` (a Keras 3 .keras) as tf.keras 2.13 on Windows wrote it: top-level groups named
    "_layer_checkpoint_dependencies\\<key>", and a counter that skips (conv2d, conv2d_2)."""
    z = zipfile.ZipFile(source)
    old = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as new:
        for key in old["layers"].keys():
            renamed = "conv2d_2" if key == "conv2d_1" else key
            group = new.create_group("_layer_checkpoint_dependencies\\" + renamed).create_group("vars")
            for v in old["layers"][key]["vars"].keys():
                group.create_dataset(v, data=np.array(old["layers"][key]["vars"][v]))
        new.create_group("vars")
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("metadata.json", json.dumps({"keras_version": "2.13.1", "date_saved": "2023-09-04@20:12:24"}))
        out.writestr("config.json", z.read("config.json"))
        out.writestr("model.weights.h5", buffer.getvalue())


def write_functional(path, version):
    """A functional CNN as the keras.io functional guide builds it (Input 28x28x1, Conv2D, MaxPooling2D, Flatten,
    Dense(10) with no softmax), in Keras 2's .h5 layout (version "2") or Keras 3's .keras layout ("3"), with
    random weights: the connections, not the accuracy, are under test."""
    rng = np.random.default_rng(3)
    weights = {"conv": [rng.normal(0, 0.3, (3, 3, 1, 8)), rng.normal(0, 0.1, (8,))],
               "logits": [rng.normal(0, 0.05, (13 * 13 * 8, 10)), rng.normal(0, 0.1, (10,))]}
    specs = [("InputLayer", "img", {"batch_shape" if version == "3" else "batch_input_shape": [None, 28, 28, 1], "dtype": "float32", "sparse": False}, None),
             ("Conv2D", "conv", {"filters": 8, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid", "activation": "relu", "use_bias": True}, "img"),
             ("MaxPooling2D", "pool", {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}, "conv"),
             ("Flatten", "flat", {}, "pool"),
             ("Dense", "logits", {"units": 10, "activation": "linear", "use_bias": True}, "flat")]
    layers = []
    for cls, name, cfg, source in specs:
        cfg = dict(cfg, name=name)
        if version == "3":
            cfg["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
            node = [] if source is None else [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": None, "dtype": "float32", "keras_history": [source, 0, 0]}}], "kwargs": {}}]
            layers.append({"module": "keras.layers", "class_name": cls, "config": cfg, "registered_name": None, "name": name, "inbound_nodes": node})
        else:
            layers.append({"class_name": cls, "config": cfg, "name": name, "inbound_nodes": [] if source is None else [[[source, 0, 0, {}]]]})
    if version == "3":
        config = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "mnist_model", "trainable": True, "layers": layers, "input_layers": ["img", 0, 0], "output_layers": ["logits", 0, 0]}, "registered_name": "Functional"}
        buffer = io.BytesIO()
        with h5py.File(buffer, "w") as f:
            for key, name in (("conv2d", "conv"), ("dense", "logits")):
                g = f.create_group("layers/%s/vars" % key)
                for i, w in enumerate(weights[name]):
                    g.create_dataset(str(i), data=w.astype(np.float32))
            for key in ("max_pooling2d", "flatten"):
                f.create_group("layers/%s/vars" % key)
            f.create_group("vars")
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("metadata.json", json.dumps({"keras_version": "3.13.0", "date_saved": "2026-12-04@00:00:00"}))
            out.writestr("config.json", json.dumps(config))
            out.writestr("model.weights.h5", buffer.getvalue())
        return
    config = {"class_name": "Functional", "config": {"name": "mnist_model", "layers": layers, "input_layers": [["img", 0, 0]], "output_layers": [["logits", 0, 0]]}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [l[1] for l in specs]
        for _, name, _, _ in specs:
            lg = g.create_group(name)
            names = ["%s/kernel:0" % name, "%s/bias:0" % name] if name in weights else []
            lg.attrs["weight_names"] = names
            for n, w in zip(names, weights.get(name, [])):
                lg.create_dataset(n, data=w.astype(np.float32))


def write_float16(path, source, variant):
    """`source` (a Keras 2 .h5) with every weight cast to float16, as a model saved in half precision is: each
    weight as numpy rounds it, little-endian ("le") or big-endian ("be"); "specials" (little-endian) also sets
    the first bias's first values to the smallest subnormal half, the largest subnormal, -0 and the largest half;
    "nan" and "inf" set the first bias's first value to NaN or +Infinity. Attributes as the source has them; the
    optimizer's state is left out."""
    dtype = ">f2" if variant == "be" else "<f2"
    with h5py.File(source, "r") as old, h5py.File(path, "w") as new:
        for k in old.attrs.keys():
            new.attrs.create(k, old.attrs[k], dtype=old.attrs.get_id(k).dtype)
        old.copy("model_weights", new)
        found = []
        new["model_weights"].visititems(lambda n, o: found.append(n) if isinstance(o, h5py.Dataset) and o.dtype.kind == "f" else None)
        for n in sorted(found):
            group, data = new["model_weights"], new["model_weights"][n][()]
            del group[n]
            group.create_dataset(n, data=data.astype(dtype))
        bias = new["model_weights"][next(n for n in sorted(found) if "bias" in n)]
        values = bias[()]
        if variant == "specials":
            values[:4] = [np.float16(2.0 ** -24), np.float16(1023 * 2.0 ** -24), np.float16(-0.0), np.float16(65504)]
        elif variant in ("nan", "inf"):
            values[0] = np.float16(variant)
        bias[...] = values


def write_test(path, kind):
    """Small files for the refusal tests: a weights-only .h5, a Lambda model, a model without a softmax."""
    rng = np.random.default_rng(1)
    dense = lambda name, units, act, first=False: {"class_name": "Dense", "config": dict(
        {"name": name, "units": units, "activation": act, "use_bias": True}, **({"batch_input_shape": [None, 784]} if first else {}))}
    with h5py.File(path, "w") as f:
        layers = [dense("dense_1", 16, "relu", True), dense("dense_2", 10, "linear")]
        if kind == "lambda":
            layers.insert(1, {"class_name": "Lambda", "config": {"name": "lambda_1", "function": ["4wEAAAAAAAAAAQAAAAIAAABDAAAAcwgAAAB8AGQBFABTACkCTukCAAAAqQApAdoBeHIBAAAAcgEAAAD6HjxpcHl0aG9uLWlucHV0LTEtZjFhYjlhNmJjYTA4PtoIPGxhbWJkYT4BAAAAcwAAAAA=", None, None], "function_type": "lambda", "arguments": {}}})
        if kind != "weights-only":
            f.attrs["keras_version"] = np.bytes_("2.1.3")
            f.attrs["backend"] = np.bytes_("tensorflow")
            f.attrs["model_config"] = np.bytes_(json.dumps({"class_name": "Sequential", "config": layers}))
        g = f if kind == "weights-only" else f.create_group("model_weights")
        names = [l["config"]["name"] for l in layers]
        g.attrs["layer_names"] = np.array([n.encode() for n in names])
        shapes = {"dense_1": [(784, 16), (16,)], "dense_2": [(16, 10), (10,)]}
        for name in names:
            lg = g.create_group(name)
            wn = ["%s/kernel:0" % name, "%s/bias:0" % name] if name in shapes else []
            lg.attrs["weight_names"] = np.array([w.encode() for w in wn], dtype="S")
            for w, shape in zip(wn, shapes.get(name, [])):
                lg.create_dataset(w, data=rng.normal(0, 0.3, shape).astype(np.float32))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "describe":
        print(json.dumps(describe(sys.argv[2])))
    elif command == "predict":
        n = int(sys.argv[4])
        inputs = np.fromfile(sys.argv[3], dtype=np.float32).reshape(n, 784)
        print(json.dumps(predict(sys.argv[2], inputs).tolist()))
    elif command == "write-test":
        write_test(sys.argv[2], sys.argv[3])
    elif command == "write-functional":
        write_functional(sys.argv[2], sys.argv[3])
    elif command == "write-windows-keras":
        write_windows_keras(sys.argv[2], sys.argv[3])
    elif command == "write-float16":
        write_float16(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
