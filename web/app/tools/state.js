// The tool a person holds: which tool, which color, which size. Local to the
// page; the document only sees the strokes made with them.

/** Tools in toolbar order, with their keyboard shortcut. */
export const TOOLS = [
  { id: 'pen', label: 'Pen', key: 'p', icon: 'pen' },
  { id: 'highlighter', label: 'Highlighter', key: 'm', icon: 'highlighter' },
  { id: 'eraser', label: 'Eraser', key: 'e', icon: 'eraser' },
  { id: 'line', label: 'Line', key: 'l', icon: 'line' },
  { id: 'rect', label: 'Rectangle', key: 'r', icon: 'rect' },
  { id: 'ellipse', label: 'Ellipse', key: 'o', icon: 'ellipse' },
  { id: 'text', label: 'Text', key: 't', icon: 'text' },
  { id: 'pan', label: 'Pan (or hold Space)', key: 'g', icon: 'pan' },
]

/** Ink colors (keys 1–7), each readable on the white board. */
export const COLORS = [
  { value: '#111827', name: 'Black' },
  { value: '#1d4ed8', name: 'Blue' },
  { value: '#dc2626', name: 'Red' },
  { value: '#15803d', name: 'Green' },
  { value: '#ea580c', name: 'Orange' },
  { value: '#7c3aed', name: 'Purple' },
  { value: '#facc15', name: 'Yellow' },
]

export const SIZE_NAMES = ['Small', 'Medium', 'Large', 'Extra large']

/** Widths in board units per tool family and size; the eraser's is its diameter in screen pixels. */
const SIZES = {
  pen: [3, 6, 10, 16],
  highlighter: [14, 22, 34, 50],
  shape: [2, 4, 7, 12],
  text: [18, 26, 38, 56],
  eraser: [12, 24, 44, 72],
}

const family = (tool) => (tool === 'line' || tool === 'rect' || tool === 'ellipse' ? 'shape' : SIZES[tool] ? tool : 'pen')

export class ToolState extends EventTarget {
  tool = 'pen'
  color = COLORS[0].value
  size = 1
  /** Highlighters start yellow, the others with the last ink color. */
  #highlight = '#facc15'

  /** The width the current tool draws with. */
  get width() {
    return SIZES[family(this.tool)][this.size]
  }

  /** The color the current tool draws with. */
  get ink() {
    return this.tool === 'highlighter' ? this.#highlight : this.color
  }

  setTool(tool) {
    if (!TOOLS.some((t) => t.id === tool) || tool === this.tool) return
    this.tool = tool
    this.#changed()
  }

  setColor(color) {
    if (this.tool === 'highlighter') this.#highlight = color
    else this.color = color
    this.#changed()
  }

  setSize(i) {
    const next = Math.max(0, Math.min(SIZE_NAMES.length - 1, i))
    if (next === this.size) return
    this.size = next
    this.#changed()
  }

  #changed() {
    this.dispatchEvent(new Event('change'))
  }
}
