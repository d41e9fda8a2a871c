// GLSL for the scatter's single draw call. One vertex shader serves the visible pass and the id
// pass (PICK), so what can be picked is exactly what is drawn: same transition, same hiding.
// Optional inputs are switched by defines (HAS_PREVIOUS, HAS_CATEGORY, …), so absent attributes
// cost neither memory nor bandwidth.

export const scatterVertexShader = /* glsl */ `
#ifdef HAS_PREVIOUS
attribute vec3 previous;
#endif
#ifdef HAS_CATEGORY
attribute float category;
#endif
#ifdef HAS_VALUE
attribute float value;
#endif
#ifdef HAS_SCALE
attribute float scale;
#endif
#ifdef HAS_HIGHLIGHT
attribute float highlight;
#endif

uniform float uTransition;
uniform float uPointSize;
// category c -> texel (c & 255, c >> 8): rgb its colour, a = 0 when the category is hidden
uniform sampler2D uCategories;
uniform sampler2D uColorMap;
uniform vec2 uValueRange;
uniform vec3 uBaseColor;
uniform vec3 uDimColor;
uniform float uHighlightActive;

#ifdef PICK
flat varying vec3 vId;
#else
varying vec3 vColor;
#endif

void main() {
  vec3 p = position;
#ifdef HAS_PREVIOUS
  p = mix(previous, position, uTransition);
#endif
  vec3 color = uBaseColor;
#ifdef HAS_CATEGORY
  int c = int(category + 0.5);
  vec4 entry = texelFetch(uCategories, ivec2(c & 255, c >> 8), 0);
  if (entry.a < 0.5) {
    // hidden: outside the clip volume, so neither drawn nor picked
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
#ifdef COLOR_BY_CATEGORY
  color = entry.rgb;
#endif
#endif
#if defined(HAS_VALUE) && defined(COLOR_BY_VALUE)
  float span = max(uValueRange.y - uValueRange.x, 1e-30);
  float t = clamp((value - uValueRange.x) / span, 0.0, 1.0);
  color = isnan(value) ? vec3(0.6) : texture2D(uColorMap, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
#endif
  float size = uPointSize;
#ifdef HAS_SCALE
  size *= scale;
#endif
  gl_Position = projectionMatrix * modelViewMatrix * vec4(p, 1.0);
#ifdef HAS_HIGHLIGHT
  if (uHighlightActive > 0.5) {
    // highlighted points in the front half of the depth range, the rest behind them, each
    // keeping its own order; the rest fade towards the background and shrink
    bool lit = highlight > 0.5;
    gl_Position.z = gl_Position.z * 0.5 + (lit ? -0.5 : 0.5) * gl_Position.w;
    if (!lit) {
      color = mix(color, uDimColor, 0.78);
      size *= 0.7;
    }
  }
#endif
  gl_PointSize = max(size, 1.0);
#ifdef PICK
  int id = gl_VertexID + 1;
  vId = vec3(float(id & 255), float((id >> 8) & 255), float((id >> 16) & 255)) / 255.0;
#else
  vColor = color;
#endif
}
`

export const scatterFragmentShader = /* glsl */ `
#ifdef PICK
flat varying vec3 vId;
#else
varying vec3 vColor;
#endif

void main() {
  vec2 d = gl_PointCoord * 2.0 - 1.0;
  float r2 = dot(d, d);
  if (r2 > 1.0) discard;
#ifdef PICK
  gl_FragColor = vec4(vId, 1.0);
#else
  // a faint rim keeps overlapping points of one colour apart
  gl_FragColor = vec4(vColor * (r2 > 0.72 ? 0.82 : 1.0), 1.0);
#endif
}
`
