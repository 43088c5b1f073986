/**
 * Checks a functional model's graph before TensorFlow.js builds it: every layer a node reads from exists, has
 * that node, and the nodes form no cycle; the model's inputs and outputs name layers it has. Why: tfjs's
 * Container.fromConfig re-queues a layer call whose inbound node does not exist yet and loops until its queue
 * empties, so a model.json (or Keras file) whose layer reads from a layer that never exists, from itself, from a
 * node it never gets, or in a cycle, hung the prediction worker at full CPU (the fuzz corpus found it). The other
 * graph errors gave tfjs's own words ("Cannot read properties of undefined") instead of a reason. Pure; nested
 * functional models are checked too (the config's depth is already bounded, jsonNesting.ts).
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const FUNCTIONAL = new Set(['Model', 'Functional']);
/** Most outputs a layer of a model this app reads may have (a multi-output layer has a few; 99 is no layer's). */
const MAX_TENSOR_INDEX = 15;

/** The functional configs in a topology: the model's own and any nested one. */
function functionalConfigs(topology: unknown): Json[] {
  const found: Json[] = [];
  const stack: unknown[] = [topology];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) {
      if (typeof v.class_name === 'string' && FUNCTIONAL.has(v.class_name) && isObject(v.config)) found.push(v.config);
      for (const key of ['model_config', 'config', 'layers']) if (key in v) stack.push(v[key]);
    }
  }
  return found;
}

/** [layer name, node index, tensor index] of one reference, or a reason it is not one. */
function reference(entry: unknown): [string, number, number] | string {
  if (!Array.isArray(entry) || entry.length < 3) return 'is not [layer, node, tensor]';
  const [name, node, tensor] = entry as unknown[];
  if (typeof name !== 'string') return 'names no layer';
  if (!Number.isInteger(node) || (node as number) < 0) return `reads node ${String(node)} of layer "${name}"`;
  if (!Number.isInteger(tensor) || (tensor as number) < 0 || (tensor as number) > MAX_TENSOR_INDEX) return `reads output ${String(tensor)} of layer "${name}"`;
  return [name, node as number, tensor as number];
}

/** Why the graph of one functional config cannot be built, or undefined when it can. */
function configProblem(config: Json): string | undefined {
  const layers = config.layers;
  if (!Array.isArray(layers)) return 'its functional config lists no layers';
  // name -> the references each of its nodes reads
  const nodes = new Map<string, Array<Array<[string, number]>>>();
  for (const layer of layers) {
    if (!isObject(layer) || typeof layer.name !== 'string') return 'a layer of it has no name';
    const name = layer.name;
    if (name in Object.prototype) return `a layer is named "${name}", a name this app does not accept`;
    if (nodes.has(name)) return `two layers are named "${name}"`;
    const inbound = layer.inbound_nodes ?? [];
    if (!Array.isArray(inbound)) return `layer "${name}"'s inbound nodes are not a list`;
    const own: Array<Array<[string, number]>> = [];
    for (const node of inbound) {
      if (!Array.isArray(node)) return `a node of layer "${name}" is not a list`;
      const reads: Array<[string, number]> = [];
      for (const entry of node) {
        const r = reference(entry);
        if (typeof r === 'string') return `layer "${name}" ${r}`;
        reads.push([r[0], r[1]]);
      }
      own.push(reads);
    }
    nodes.set(name, own);
  }
  // A layer that reads nothing (an input) has one node, node 0.
  const nodeCount = (name: string) => Math.max(1, nodes.get(name)!.length);
  for (const [name, own] of nodes)
    for (const reads of own)
      for (const [from, node] of reads) {
        if (!nodes.has(from)) return `layer "${name}" reads from a layer "${from}" the model does not have`;
        if (node >= nodeCount(from)) return `layer "${name}" reads node ${node} of layer "${from}", which has ${nodeCount(from)}`;
      }
  for (const key of ['input_layers', 'output_layers'] as const) {
    const list = config[key];
    if (!Array.isArray(list) || list.length === 0) return `it names no ${key === 'input_layers' ? 'inputs' : 'outputs'}`;
    for (const entry of list) {
      const r = reference(entry);
      if (typeof r === 'string') return `its ${key === 'input_layers' ? 'input' : 'output'} ${r}`;
      if (!nodes.has(r[0])) return `its ${key === 'input_layers' ? 'input' : 'output'} is a layer "${r[0]}" it does not have`;
      if (r[1] >= nodeCount(r[0])) return `its ${key === 'input_layers' ? 'input' : 'output'} is node ${r[1]} of layer "${r[0]}", which has ${nodeCount(r[0])}`;
    }
  }
  // No cycle among the nodes (Kahn's algorithm: every node must come free).
  const key = (name: string, node: number) => `${name}\u0000${node}`;
  const waiting = new Map<string, number>();
  const readers = new Map<string, string[]>();
  for (const [name, own] of nodes)
    own.forEach((reads, k) => {
      waiting.set(key(name, k), reads.length);
      for (const [from, node] of reads) readers.set(key(from, node), [...(readers.get(key(from, node)) ?? []), key(name, k)]);
    });
  const free = [...waiting].filter(([, n]) => n === 0).map(([k]) => k);
  for (const [name, own] of nodes) if (own.length === 0) free.push(key(name, 0));
  let done = 0;
  while (free.length) {
    const k = free.pop()!;
    done++;
    for (const r of readers.get(k) ?? []) {
      const left = waiting.get(r)! - 1;
      waiting.set(r, left);
      if (left === 0) free.push(r);
    }
  }
  const total = [...nodes.values()].reduce((n, own) => n + Math.max(1, own.length), 0);
  if (done < total) return 'its layers read from each other in a cycle';
  return undefined;
}

/** Why the topology's functional graph cannot be built, or undefined when it can (or it has none). */
export function functionalGraphProblem(topology: unknown): string | undefined {
  for (const config of functionalConfigs(topology)) {
    const problem = configProblem(config);
    if (problem) return problem;
  }
  return undefined;
}
