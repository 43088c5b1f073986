/**
 * A network definition as a few lines of Keras, to copy out and paste back in, like Keras's examples/mnist_cnn.py:
 *
 *     model = Sequential()
 *     model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=(28, 28, 1)))
 *     model.add(MaxPooling2D(pool_size=(2, 2)))
 *     ...
 *     model.compile(loss='categorical_crossentropy', optimizer=Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-07), metrics=['accuracy'])
 *     model.fit(x_train, y_train, batch_size=128, epochs=4)
 *
 * `formatKeras` writes it (the import lines too, so Python runs it); `parseKeras` reads it back: a small reader of
 * the Python that such text uses, not Python. It takes whitespace and line breaks inside brackets as Python does,
 * either quote, positional or keyword arguments as Keras's signatures order them, `keras.layers.Dense` as well as
 * `Dense`, `Sequential([...])` as well as `model.add(...)`, and names given a number, text or tuple first
 * (`num_classes = 10`, `img_rows, img_cols = 28, 28`); it skips comments, docstrings, imports, `print(...)` and
 * `model.summary()` or `model.evaluate(...)`: mnist_cnn.py's lines from its settings to its `model.fit(...)`, less
 * its data loading, read as they are. An argument Keras has but the editor
 * cannot set is refused, not dropped, and an error says on which line, at which column, what was expected.
 * The recipe is the app's, not Keras's: the text leaves it out. format -> parse gives back the definition. Pure.
 */
import { SPLIT_COUNTS } from '../../../data/mnistFacts';
import {
  ACTIVATIONS,
  LAYER_KINDS,
  MNIST_INPUT,
  OPTIMIZER_DEFAULTS,
  PADDINGS,
  type Activation,
  type InputShape,
  type LayerDefinition,
  type NetworkDefinition,
  type OptimizerSettings,
  type TrainingDefinition,
} from './networkDefinition';

/** The training settings a text states: the optimizer from `model.compile`, the rest from `model.fit`. */
export interface TrainingFromText {
  optimizer?: OptimizerSettings;
  batchSize?: number;
  epochs?: number;
  images?: number;
}

export interface KerasTextError {
  /** From 1. */
  line: number;
  column: number;
  /** What was expected and what was found, without the place. */
  detail: string;
  /** `Line 3, column 12: <detail>`. */
  message: string;
}

export type KerasParse =
  | { ok: true; network: NetworkDefinition; training: TrainingFromText }
  | { ok: false; error: KerasTextError };

/** Keras's fit() without batch_size trains in batches of 32, and without epochs for one epoch. */
const KERAS_FIT_DEFAULTS = { batchSize: 32, epochs: 1 };
/** Keras's K.epsilon(), what `epsilon=None` means to its optimizers. */
const KERAS_EPSILON = 1e-7;
const MODEL = 'model';
const TRAIN_IMAGES = 'x_train';
const TRAIN_LABELS = 'y_train';
const OPTIMIZER_CLASSES = { adadelta: 'Adadelta', adam: 'Adam', sgd: 'SGD' } as const;

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** A Python float literal: 1 -> 1.0, 1e-7 -> 1e-07 (as Python's repr). */
function pythonFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

const pair = (n: number) => `(${n}, ${n})`;
const tuple = (values: readonly number[]) => `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;

function layerText(layer: LayerDefinition, inputShape: string | undefined): string {
  const args: string[] = [];
  switch (layer.kind) {
    case 'Conv2D':
      args.push(String(layer.filters), `kernel_size=${pair(layer.kernelSize)}`);
      if (layer.strides !== undefined) args.push(`strides=${pair(layer.strides)}`);
      if (layer.padding !== 'valid') args.push(`padding='${layer.padding}'`);
      if (layer.activation !== 'linear') args.push(`activation='${layer.activation}'`);
      break;
    case 'MaxPooling2D':
      args.push(`pool_size=${pair(layer.poolSize)}`);
      break;
    case 'Dropout':
      args.push(pythonFloat(layer.rate));
      break;
    case 'Dense':
      args.push(String(layer.units));
      if (layer.activation !== 'linear') args.push(`activation='${layer.activation}'`);
      break;
    case 'Flatten':
    case 'BatchNormalization':
      break;
  }
  if (inputShape) args.push(`input_shape=${inputShape}`);
  return `${layer.kind}(${args.join(', ')})`;
}

function optimizerText(optimizer: OptimizerSettings): string {
  const lr = `learning_rate=${pythonFloat(optimizer.learningRate)}`;
  switch (optimizer.name) {
    case 'adadelta':
      return `Adadelta(${lr}, rho=${pythonFloat(optimizer.rho)}, epsilon=${pythonFloat(optimizer.epsilon)})`;
    case 'adam':
      return `Adam(${lr})`;
    case 'sgd':
      return `SGD(${lr}, momentum=${pythonFloat(optimizer.momentum)})`;
  }
}

/**
 * The network as Keras text: the imports it needs, `model = Sequential()`, one `model.add(...)` a layer (the first
 * with the input_shape), and with `training`, the `model.compile(...)` and `model.fit(...)` lines too.
 */
export function formatKeras(network: NetworkDefinition, training?: Omit<TrainingDefinition, 'recipe'>): string {
  const input = tuple(network.input);
  const adds = network.layers.length
    ? network.layers.map((layer, i) => `${MODEL}.add(${layerText(layer, i === 0 ? input : undefined)})`)
    : [`${MODEL}.add(InputLayer(input_shape=${input}))`];
  const classes = network.layers.length ? LAYER_KINDS.filter((kind) => network.layers.some((l) => l.kind === kind)) : ['InputLayer'];
  const lines = ['from keras.models import Sequential', `from keras.layers import ${classes.join(', ')}`];
  if (training) lines.push(`from keras.optimizers import ${OPTIMIZER_CLASSES[training.optimizer.name]}`);
  lines.push('', `${MODEL} = Sequential()`, ...adds);
  if (training) {
    const images = training.images === SPLIT_COUNTS.train ? '' : `[:${training.images}]`;
    lines.push(
      `${MODEL}.compile(loss='categorical_crossentropy', optimizer=${optimizerText(training.optimizer)}, metrics=['accuracy'])`,
      `${MODEL}.fit(${TRAIN_IMAGES}${images}, ${TRAIN_LABELS}${images}, batch_size=${training.batchSize}, epochs=${training.epochs})`,
    );
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: tokens

interface Place {
  line: number;
  column: number;
}

interface Token extends Place {
  type: 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';
  text: string;
  value?: number | string;
}

class TextError extends Error {
  constructor(
    readonly place: Place,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPS = new Set(['(', ')', '[', ']', '{', '}', ',', '=', '.', ':', '-', '+', '*', ';']);
const NUMBER = /^(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function describe(token: Token): string {
  if (token.type === 'newline') return 'the end of the line';
  if (token.type === 'end') return 'the end of the text';
  return token.type === 'string' ? `the text ${token.text}` : `'${token.text}'`;
}

/** Python's tokens, as far as this reader needs them: line breaks inside brackets are not the end of a statement. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const open: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const place = (at: number): Place => ({ line, column: at - lineStart + 1 });
  const endStatement = (at: number) => {
    const last = tokens[tokens.length - 1];
    if (last && last.type !== 'newline') tokens.push({ type: 'newline', text: '', ...place(at) });
  };
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i, i + 80);
    if (c === '\n') {
      if (open.length === 0) endStatement(i);
      i++;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '\\' && /^\\\r?\n/.test(rest)) {
      i += rest[1] === '\r' ? 3 : 2;
      line++;
      lineStart = i;
    } else if (c === ';' && open.length === 0) {
      endStatement(i);
      i++;
    } else if (c === '"' || c === "'") {
      const start = place(i);
      if (text.startsWith(c.repeat(3), i)) {
        // A docstring: its lines are counted, its text is not looked at.
        const end = text.indexOf(c.repeat(3), i + 3);
        if (end < 0) throw new TextError(start, `expected ${c.repeat(3)} to close the text that starts here, found the end of the text`);
        const value = text.slice(i + 3, end);
        tokens.push({ type: 'string', text: text.slice(i, end + 3), value, ...start });
        for (let j = i; j < end; j++) {
          if (text[j] === '\n') {
            line++;
            lineStart = j + 1;
          }
        }
        i = end + 3;
        continue;
      }
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c && text[j] !== '\n'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && text[j + 1] !== '\n') j++;
        value += text[j];
      }
      if (text[j] !== c) throw new TextError(start, `expected a closing ${c} for the text that starts here, on the same line`);
      tokens.push({ type: 'string', text: text.slice(i, j + 1), value, ...start });
      i = j + 1;
    } else if (NUMBER.test(rest) && !(c === '.' && tokens[tokens.length - 1]?.type === 'name')) {
      const literal = NUMBER.exec(rest)![0];
      if (/[jJ]$/.test(literal)) throw new TextError(place(i), `expected a number, found the complex number ${literal}`);
      tokens.push({ type: 'number', text: literal, value: Number(literal.replaceAll('_', '')), ...place(i) });
      i += literal.length;
    } else if (NAME.test(rest)) {
      const name = NAME.exec(rest)![0];
      tokens.push({ type: 'name', text: name, ...place(i) });
      i += name.length;
    } else if (OPS.has(c)) {
      const token: Token = { type: 'op', text: c, ...place(i) };
      if (CLOSING[c]) open.push(token);
      else if (c === ')' || c === ']' || c === '}') {
        const opener = open.pop();
        if (!opener) throw new TextError(token, `found '${c}' that closes nothing`);
        if (CLOSING[opener.text] !== c) {
          throw new TextError(token, `expected '${CLOSING[opener.text]}' to close the '${opener.text}' of line ${opener.line}, column ${opener.column}, found '${c}'`);
        }
      }
      tokens.push(token);
      i++;
    } else {
      throw new TextError(place(i), `found '${c}', which Keras text does not use here`);
    }
  }
  const unclosed = open.pop();
  if (unclosed) {
    throw new TextError(unclosed, `expected '${CLOSING[unclosed.text]}' to close this '${unclosed.text}', found the end of the text`);
  }
  endStatement(i);
  tokens.push({ type: 'end', text: '', ...place(i) });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: expressions

type Expr = Place &
  (
    | { type: 'number'; value: number }
    | { type: 'string'; value: string }
    | { type: 'name'; path: string[] }
    | { type: 'tuple' | 'list'; items: Expr[] }
    | { type: 'call'; callee: string[]; args: Expr[]; keywords: Array<{ name: string; value: Expr } & Place> }
    | { type: 'subscript'; target: Expr; start?: Expr; stop?: Expr; slice: boolean }
  );
type CallExpr = Extract<Expr, { type: 'call' }>;

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.at++;
    return token;
  }

  isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'op' && token.text === text;
  }

  expectOp(text: string, what: string): Token {
    if (!this.isOp(text)) throw new TextError(this.peek(), `expected ${what}, found ${describe(this.peek())}`);
    return this.next();
  }

  atStatementEnd(): boolean {
    const type = this.peek().type;
    return type === 'newline' || type === 'end';
  }

  /** `a.b.c`, the first name already known to be there. */
  dotted(): { path: string[]; place: Place } {
    const first = this.next();
    const path = [first.text];
    while (this.isOp('.')) {
      this.next();
      const part = this.next();
      if (part.type !== 'name') throw new TextError(part, `expected a name after '.', found ${describe(part)}`);
      path.push(part.text);
    }
    return { path, place: { line: first.line, column: first.column } };
  }

  expression(): Expr {
    const token = this.peek();
    if (token.type === 'op' && (token.text === '-' || token.text === '+')) {
      this.next();
      const operand = this.expression();
      if (operand.type !== 'number') throw new TextError(operand, `expected a number after '${token.text}'`);
      return { ...operand, value: token.text === '-' ? -operand.value : operand.value, line: token.line, column: token.column };
    }
    if (token.type === 'number') {
      this.next();
      return { type: 'number', value: token.value as number, line: token.line, column: token.column };
    }
    if (token.type === 'string') {
      this.next();
      return { type: 'string', value: token.value as string, line: token.line, column: token.column };
    }
    if (token.type === 'name') {
      const { path, place } = this.dotted();
      let expr: Expr = { type: 'name', path, ...place };
      for (;;) {
        if (this.isOp('(')) {
          if (expr.type !== 'name') throw new TextError(this.peek(), `expected the end of the value, found ${describe(this.peek())}`);
          expr = this.call(expr.path, place);
        } else if (this.isOp('[')) {
          expr = this.subscript(expr);
        } else return expr;
      }
    }
    if (token.type === 'op' && (token.text === '(' || token.text === '[')) {
      this.next();
      const close = token.text === '(' ? ')' : ']';
      const items: Expr[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.expression());
        if (this.isOp(close)) break;
        this.expectOp(',', `',' or '${close}'`);
        comma = true;
      }
      this.next();
      if (token.text === '(' && items.length === 1 && !comma) return items[0]!;
      return { type: token.text === '(' ? 'tuple' : 'list', items, line: token.line, column: token.column };
    }
    throw new TextError(token, `expected a value (a number, a text in quotes, a name or a tuple), found ${describe(token)}`);
  }

  /** `callee(args)`, at its '('. */
  call(callee: string[], place: Place): CallExpr {
    const open = this.next();
    const args: Expr[] = [];
    const keywords: CallExpr['keywords'] = [];
    while (!this.isOp(')')) {
      const token = this.peek();
      if (token.type === 'op' && token.text === '*') throw new TextError(token, "expected an argument, found '*' (argument unpacking is not read here)");
      if (token.type === 'name' && this.isOp('=', 1)) {
        this.next();
        this.next();
        if (keywords.some((k) => k.name === token.text)) throw new TextError(token, `found ${token.text}= a second time in ${callee.join('.')}(...)`);
        keywords.push({ name: token.text, value: this.expression(), line: token.line, column: token.column });
      } else {
        if (keywords.length) throw new TextError(token, `expected a keyword argument (name=value): ${callee.join('.')}(...) has one before this`);
        args.push(this.expression());
      }
      if (this.isOp(')')) break;
      this.expectOp(',', `',' or ')' in ${callee.join('.')}(...) opened at line ${open.line}, column ${open.column}`);
    }
    this.next();
    return { type: 'call', callee, args, keywords, ...place };
  }

  /** `target[i]` or `target[start:stop]`, at its '['. */
  subscript(target: Expr): Expr {
    this.next();
    const start = this.isOp(':') || this.isOp(']') ? undefined : this.expression();
    let stop: Expr | undefined;
    let slice = false;
    if (this.isOp(':')) {
      this.next();
      slice = true;
      if (!this.isOp(']')) stop = this.expression();
    }
    this.expectOp(']', "']'");
    return { type: 'subscript', target, slice, line: target.line, column: target.column, ...(start ? { start } : {}), ...(stop ? { stop } : {}) };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: what the statements mean

type Value = number | string | boolean | null | Value[];

/** Arguments read (or let pass) but not worth listing when an unknown one is refused. */
const UNLISTED = new Set(['name', 'batch_input_shape', 'noise_shape', 'seed', 'verbose', 'validation_data', 'validation_split', 'shuffle', 'callbacks', 'use_bias', 'data_format', 'axis']);

/** A model's methods that neither build nor train it: a text may call them, the reader passes them by. */
const MODEL_USES = new Set(['summary', 'evaluate', 'predict', 'save', 'save_weights', 'load_weights']);

const last = (path: readonly string[]) => path[path.length - 1]!;
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The meaning of one text: names given values, the model's variable, and what it says. */
class Reader {
  private readonly names = new Map<string, Value>();
  private model: string | undefined;
  private input: InputShape | undefined;
  private readonly layers: LayerDefinition[] = [];
  readonly training: TrainingFromText = {};

  network(): NetworkDefinition {
    return { input: this.input ?? MNIST_INPUT, layers: this.layers };
  }

  value(expr: Expr): Value {
    switch (expr.type) {
      case 'number':
      case 'string':
        return expr.value;
      case 'tuple':
      case 'list':
        return expr.items.map((item) => this.value(item));
      case 'name': {
        const name = expr.path.join('.');
        if (name === 'None') return null;
        if (name === 'True' || name === 'False') return name === 'True';
        const value = this.names.get(name);
        if (value === undefined) throw new TextError(expr, `found the name '${name}', which the text does not give a value first (as ${name} = 10)`);
        return value;
      }
      default:
        throw new TextError(expr, 'expected a number, a text in quotes or a tuple here');
    }
  }

  number(expr: Expr, what: string): number {
    const value = this.value(expr);
    if (typeof value !== 'number') throw new TextError(expr, `expected a number for ${what}`);
    return value;
  }

  /** A size given as n or (n, n), as Keras takes kernel_size, strides and pool_size. */
  square(expr: Expr, what: string): number {
    const value = this.value(expr);
    if (typeof value === 'number') return value;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && value[0] === value[1]) return value[0];
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
      throw new TextError(expr, `expected the same size both ways for ${what}, as (3, 3): the editor has square ones only`);
    }
    throw new TextError(expr, `expected a number or a pair of numbers for ${what}, as (3, 3)`);
  }

  choice<T extends string>(expr: Expr, choices: readonly T[], what: string): T {
    const value = this.value(expr);
    const text = typeof value === 'string' ? value.toLowerCase() : value;
    if (typeof text !== 'string' || !(choices as readonly string[]).includes(text)) throw new TextError(expr, `expected ${what}: one of ${quoted(choices)}`);
    return text as T;
  }

  activation(expr: Expr): Activation {
    // activation=None is Keras's linear; keras.activations.relu names one too.
    if (expr.type === 'name' && expr.path.length > 1 && (ACTIVATIONS as readonly string[]).includes(last(expr.path))) return last(expr.path) as Activation;
    if (this.value(expr) === null) return 'linear';
    return this.choice(expr, ACTIVATIONS, 'an activation');
  }

  shape(expr: Expr, batch: boolean): InputShape {
    const value = this.value(expr);
    const dims = Array.isArray(value) && batch && value[0] === null ? value.slice(1) : value;
    if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => typeof d === 'number')) {
      throw new TextError(expr, `expected the input's shape as (height, width, channels), as (28, 28, 1)${batch ? ' after None for the batch' : ''}`);
    }
    return dims as unknown as InputShape;
  }

  /** A call's arguments by name: positional ones in the order Keras's signature gives them. */
  bind(call: CallExpr, positional: readonly string[], keywords: readonly string[], aliases: Record<string, string> = {}): Map<string, Expr> {
    const name = last(call.callee);
    const args = new Map<string, Expr>();
    if (call.args.length > positional.length) {
      const extra = call.args[positional.length]!;
      throw new TextError(extra, positional.length ? `expected at most ${positional.length} arguments without names in ${name}(...): ${positional.join(', ')}` : `expected no arguments without names in ${name}(...)`);
    }
    call.args.forEach((arg, i) => args.set(positional[i]!, arg));
    for (const keyword of call.keywords) {
      const key = aliases[keyword.name] ?? keyword.name;
      if (!keywords.includes(key) && !positional.includes(key)) {
        const allowed = [...new Set([...positional, ...keywords])].filter((k) => !UNLISTED.has(k));
        throw new TextError(keyword, `found ${keyword.name}=, which the editor cannot set on ${name}; expected ${allowed.length ? allowed.join(', ') : 'no arguments'}`);
      }
      if (args.has(key)) throw new TextError(keyword, `found ${key} given twice in ${name}(...)`);
      args.set(key, keyword.value);
    }
    return args;
  }

  /** An argument that may be written but must have Keras's default (data_format='channels_last'), or None. */
  defaultOnly(args: Map<string, Expr>, key: string, allowed: readonly Value[]) {
    const expr = args.get(key);
    if (!expr) return;
    const value = this.value(expr);
    if (!allowed.includes(value)) throw new TextError(expr, `expected ${key}=${allowed.map((v) => (v === null ? 'None' : typeof v === 'string' ? `'${v}'` : String(v))).join(' or ')}: the editor has no other`);
  }

  /** input_shape=, which only the first layer may give (Keras ignores it on the others). */
  inputShapeOf(args: Map<string, Expr>) {
    for (const key of ['input_shape', 'batch_input_shape']) {
      const expr = args.get(key);
      if (!expr) continue;
      if (this.input || this.layers.length) throw new TextError(expr, `expected ${key} on the first layer only`);
      this.input = this.shape(expr, key === 'batch_input_shape');
    }
  }

  layer(expr: Expr): void {
    if (expr.type !== 'call') throw new TextError(expr, `expected a layer, as Dense(10, activation='softmax')`);
    const kind = last(expr.callee);
    const common = ['name', 'input_shape', 'batch_input_shape'];
    switch (kind) {
      case 'Input':
      case 'InputLayer': {
        const args = this.bind(expr, kind === 'Input' ? ['shape'] : [], ['shape', 'input_shape', 'batch_shape', 'batch_input_shape', 'name']);
        if (this.input || this.layers.length) throw new TextError(expr, `expected ${kind}(...) before the first layer`);
        const given = [...args].filter(([key]) => key !== 'name');
        if (given.length !== 1) throw new TextError(expr, `expected ${kind}(shape=(28, 28, 1))`);
        const [key, shape] = given[0]!;
        this.input = this.shape(shape, key.startsWith('batch'));
        return;
      }
      case 'Conv2D':
      case 'Convolution2D': {
        const args = this.bind(expr, ['filters', 'kernel_size', 'strides', 'padding'], ['activation', 'data_format', 'use_bias', ...common]);
        this.defaultOnly(args, 'data_format', ['channels_last', null]);
        this.defaultOnly(args, 'use_bias', [true]);
        const filters = args.get('filters');
        const kernel = args.get('kernel_size');
        if (!filters || !kernel) throw new TextError(expr, `expected the number of filters and the kernel_size in ${kind}(...), as Conv2D(32, kernel_size=(3, 3))`);
        const strides = args.get('strides');
        const padding = args.get('padding');
        const activation = args.get('activation');
        this.inputShapeOf(args);
        this.layers.push({
          kind: 'Conv2D',
          filters: this.number(filters, 'filters'),
          kernelSize: this.square(kernel, 'kernel_size'),
          activation: activation ? this.activation(activation) : 'linear',
          padding: padding ? this.choice(padding, PADDINGS, 'a padding') : 'valid',
          ...(strides ? { strides: this.square(strides, 'strides') } : {}),
        });
        return;
      }
      case 'MaxPooling2D':
      case 'MaxPool2D': {
        const args = this.bind(expr, ['pool_size', 'strides', 'padding'], ['data_format', ...common]);
        this.defaultOnly(args, 'padding', ['valid']);
        this.defaultOnly(args, 'data_format', ['channels_last', null]);
        const pool = args.get('pool_size');
        const poolSize = pool ? this.square(pool, 'pool_size') : 2;
        const strides = args.get('strides');
        if (strides && this.value(strides) !== null && this.square(strides, 'strides') !== poolSize) {
          throw new TextError(strides, `expected strides=None or the pool size: the editor pools with strides equal to the pool_size`);
        }
        this.inputShapeOf(args);
        this.layers.push({ kind: 'MaxPooling2D', poolSize });
        return;
      }
      case 'Dropout': {
        const args = this.bind(expr, ['rate', 'noise_shape', 'seed'], common);
        this.defaultOnly(args, 'noise_shape', [null]);
        const rate = args.get('rate');
        if (!rate) throw new TextError(expr, 'expected the rate in Dropout(...), as Dropout(0.25)');
        this.inputShapeOf(args);
        this.layers.push({ kind: 'Dropout', rate: this.number(rate, 'rate') });
        return;
      }
      case 'Flatten': {
        const args = this.bind(expr, [], ['data_format', ...common]);
        this.defaultOnly(args, 'data_format', ['channels_last', null]);
        this.inputShapeOf(args);
        this.layers.push({ kind: 'Flatten' });
        return;
      }
      case 'Dense': {
        const args = this.bind(expr, ['units', 'activation'], ['use_bias', ...common]);
        this.defaultOnly(args, 'use_bias', [true]);
        const units = args.get('units');
        if (!units) throw new TextError(expr, 'expected the number of units in Dense(...), as Dense(128)');
        const activation = args.get('activation');
        this.inputShapeOf(args);
        this.layers.push({ kind: 'Dense', units: this.number(units, 'units'), activation: activation ? this.activation(activation) : 'linear' });
        return;
      }
      case 'BatchNormalization': {
        const args = this.bind(expr, ['axis'], common);
        this.defaultOnly(args, 'axis', [-1]);
        this.inputShapeOf(args);
        this.layers.push({ kind: 'BatchNormalization' });
        return;
      }
      default: {
        const hint = kind === 'Activation' ? ": give the layer before it activation='...' instead" : '';
        throw new TextError(expr, `expected one of the layers the editor offers (${LAYER_KINDS.join(', ')}), found ${kind}${hint}`);
      }
    }
  }

  optimizer(expr: Expr): OptimizerSettings {
    if (expr.type === 'string') {
      const name = this.choice(expr, Object.keys(OPTIMIZER_CLASSES) as Array<keyof typeof OPTIMIZER_CLASSES>, 'an optimizer');
      return OPTIMIZER_DEFAULTS[name];
    }
    const kinds = Object.values(OPTIMIZER_CLASSES).join(', ');
    if (expr.type !== 'call') throw new TextError(expr, `expected an optimizer, as Adadelta() or 'adam': one of ${kinds}`);
    const lr = { lr: 'learning_rate' };
    const rate = (args: Map<string, Expr>, fallback: number) => {
      const given = args.get('learning_rate');
      return given ? this.number(given, 'the learning rate') : fallback;
    };
    const optional = (args: Map<string, Expr>, key: string, fallback: number) => {
      const given = args.get(key);
      const value = given ? this.value(given) : null;
      return value === null ? fallback : this.number(given!, key);
    };
    switch (last(expr.callee)) {
      case 'Adadelta': {
        const args = this.bind(expr, ['learning_rate', 'rho', 'epsilon'], ['name'], lr);
        const defaults = OPTIMIZER_DEFAULTS.adadelta;
        return { name: 'adadelta', learningRate: rate(args, defaults.learningRate), rho: optional(args, 'rho', defaults.rho), epsilon: optional(args, 'epsilon', KERAS_EPSILON) };
      }
      case 'Adam': {
        const args = this.bind(expr, ['learning_rate'], ['name'], lr);
        return { name: 'adam', learningRate: rate(args, OPTIMIZER_DEFAULTS.adam.learningRate) };
      }
      case 'SGD': {
        const args = this.bind(expr, ['learning_rate', 'momentum', 'nesterov'], ['name'], lr);
        this.defaultOnly(args, 'nesterov', [false]);
        return { name: 'sgd', learningRate: rate(args, OPTIMIZER_DEFAULTS.sgd.learningRate), momentum: optional(args, 'momentum', OPTIMIZER_DEFAULTS.sgd.momentum) };
      }
      default:
        throw new TextError(expr, `expected an optimizer the editor offers (${kinds}), found ${last(expr.callee)}`);
    }
  }

  compile(call: CallExpr): void {
    const args = this.bind(call, ['optimizer', 'loss', 'metrics'], []);
    const loss = args.get('loss');
    if (loss) {
      const name = loss.type === 'string' ? loss.value : loss.type === 'name' ? last(loss.path) : loss.type === 'call' ? last(loss.callee) : '';
      if (name !== 'categorical_crossentropy' && name !== 'CategoricalCrossentropy') {
        throw new TextError(loss, "expected loss='categorical_crossentropy': the app trains with it");
      }
    }
    const optimizer = args.get('optimizer');
    if (optimizer) this.training.optimizer = this.optimizer(optimizer);
  }

  /** The number of training images `x_train` or `x_train[:n]` stands for. */
  images(expr: Expr, what: string): number {
    if (expr.type === 'name') return SPLIT_COUNTS.train;
    if (expr.type === 'subscript' && expr.target.type === 'name' && expr.slice && !expr.start) {
      return expr.stop ? this.number(expr.stop, 'the number of images') : SPLIT_COUNTS.train;
    }
    throw new TextError(expr, `expected ${what} as ${what === 'x' ? TRAIN_IMAGES : TRAIN_LABELS} or ${what === 'x' ? TRAIN_IMAGES : TRAIN_LABELS}[:n], the first n images`);
  }

  fit(call: CallExpr): void {
    const args = this.bind(call, ['x', 'y', 'batch_size', 'epochs'], ['verbose', 'validation_data', 'validation_split', 'shuffle', 'callbacks']);
    const x = args.get('x');
    const y = args.get('y');
    const images = x ? this.images(x, 'x') : SPLIT_COUNTS.train;
    if (y && this.images(y, 'y') !== images) throw new TextError(y, `expected as many labels as images (${images})`);
    const batch = args.get('batch_size');
    const epochs = args.get('epochs');
    this.training.images = images;
    this.training.batchSize = batch ? this.number(batch, 'batch_size') : KERAS_FIT_DEFAULTS.batchSize;
    this.training.epochs = epochs ? this.number(epochs, 'epochs') : KERAS_FIT_DEFAULTS.epochs;
  }

  statement(parser: Parser): void {
    const token = parser.peek();
    if (token.type === 'newline') {
      parser.next();
      return;
    }
    if (token.type === 'name' && (token.text === 'from' || token.text === 'import')) {
      while (!parser.atStatementEnd()) parser.next();
      return;
    }
    if (token.type === 'string' && (parser.peek(1).type === 'newline' || parser.peek(1).type === 'end')) {
      parser.next();
      return;
    }
    if (token.type !== 'name') {
      throw new TextError(token, `expected a line such as model = Sequential() or model.add(Dense(10, activation='softmax')), found ${describe(token)}`);
    }
    const { path, place } = parser.dotted();
    if ((parser.isOp('=') || parser.isOp(',')) && path.length === 1) {
      // name = value, or a, b = 1, 2
      const targets = [path[0]!];
      while (parser.isOp(',')) {
        parser.next();
        const target = parser.next();
        if (target.type !== 'name') throw new TextError(target, `expected a name to give a value, found ${describe(target)}`);
        targets.push(target.text);
      }
      parser.expectOp('=', `'=' after ${targets.join(', ')}`);
      const first = parser.expression();
      const values = [first];
      while (parser.isOp(',')) {
        parser.next();
        if (!parser.atStatementEnd()) values.push(parser.expression());
      }
      this.endOf(parser, `${targets.join(', ')} = ...`);
      const value: Expr = values.length > 1 || parser.peek(-1).text === ',' ? { type: 'tuple', items: values, line: first.line, column: first.column } : first;
      if (targets.length === 1) return this.assign(targets[0]!, value);
      if (value.type !== 'tuple' || value.items.length !== targets.length) throw new TextError(value, `expected ${targets.length} values for ${targets.join(', ')}`);
      targets.forEach((target, i) => this.assign(target, value.items[i]!));
      return;
    }
    if (!parser.isOp('(')) {
      throw new TextError(parser.peek(), `expected '=' or '(' after ${path.join('.')}, found ${describe(parser.peek())}`);
    }
    const call = parser.call(path, place);
    this.endOf(parser, `${path.join('.')}(...)`);
    this.callStatement(call);
  }

  endOf(parser: Parser, what: string) {
    if (!parser.atStatementEnd()) throw new TextError(parser.peek(), `expected the end of the line after ${what}, found ${describe(parser.peek())}`);
  }

  assign(name: string, value: Expr) {
    if (value.type === 'call' && this.ignored(value)) return;
    if (value.type === 'call' && last(value.callee) === 'Sequential') {
      if (this.model) throw new TextError(value, `expected one model: ${this.model} = Sequential() came first`);
      this.model = name;
      const args = this.bind(value, ['layers'], ['name']);
      const layers = args.get('layers');
      if (layers && layers.type !== 'list') throw new TextError(layers, 'expected the layers as a list, Sequential([...])');
      if (layers) for (const layer of layers.items) this.layer(layer);
      return;
    }
    if (value.type === 'call' || value.type === 'subscript') {
      throw new TextError(value, `expected ${name} = Sequential(), or a number, a text or a tuple to give ${name}`);
    }
    this.names.set(name, this.value(value));
  }

  /** print(...), and what a model does besides being built and trained (model.summary(), model.evaluate(...), ...). */
  ignored(call: CallExpr): boolean {
    const [target, method, ...more] = call.callee;
    if (call.callee.length === 1) return target === 'print';
    return more.length === 0 && target === this.model && MODEL_USES.has(method!);
  }

  callStatement(call: CallExpr) {
    if (this.ignored(call)) return;
    const [target, method, ...more] = call.callee;
    // A text of model.add(...) lines alone names its model by its first line.
    if (call.callee.length === 2 && !this.model && method === 'add') this.model = target;
    if (more.length || !method || target !== this.model) {
      throw new TextError(call, `expected ${this.model ?? MODEL}.add(...), ${this.model ?? MODEL}.compile(...) or ${this.model ?? MODEL}.fit(...), found ${call.callee.join('.')}(...)`);
    }
    switch (method) {
      case 'add': {
        const args = this.bind(call, ['layer'], []);
        const layer = args.get('layer');
        if (!layer) throw new TextError(call, `expected a layer in ${target}.add(...)`);
        this.layer(layer);
        return;
      }
      case 'compile':
        return this.compile(call);
      case 'fit':
        return this.fit(call);
      default:
        throw new TextError(call, `expected ${target}.add(...), ${target}.compile(...) or ${target}.fit(...), found ${target}.${method}(...)`);
    }
  }

  /** After the last line: a text must make a model. */
  finish(end: Place) {
    if (!this.model) throw new TextError(end, `expected ${MODEL} = Sequential() and ${MODEL}.add(...) lines, found none`);
  }
}

/** The network (and what it says of training) from Keras text, or where and why it cannot be read. */
export function parseKeras(text: string): KerasParse {
  try {
    const tokens = tokenize(text);
    const parser = new Parser(tokens);
    const reader = new Reader();
    while (parser.peek().type !== 'end') reader.statement(parser);
    reader.finish(parser.peek());
    return { ok: true, network: reader.network(), training: reader.training };
  } catch (error) {
    if (!(error instanceof TextError)) throw error;
    const { line, column } = error.place;
    return { ok: false, error: { line, column, detail: error.detail, message: `Line ${line}, column ${column}: ${error.detail}` } };
  }
}
