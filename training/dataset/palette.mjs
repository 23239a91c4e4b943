// Fixed, named plain background colours. Names appear in captions.

export const WHITE = Object.freeze({ name: 'white', rgb: [255, 255, 255] });

export const PALETTE = Object.freeze([
  WHITE,
  { name: 'black', rgb: [0, 0, 0] },
  { name: 'gray', rgb: [128, 128, 128] },
  { name: 'red', rgb: [220, 30, 40] },
  { name: 'orange', rgb: [250, 140, 20] },
  { name: 'yellow', rgb: [250, 220, 40] },
  { name: 'green', rgb: [40, 160, 60] },
  { name: 'teal', rgb: [0, 128, 128] },
  { name: 'blue', rgb: [30, 80, 220] },
  { name: 'light blue', rgb: [150, 200, 250] },
  { name: 'purple', rgb: [130, 50, 170] },
  { name: 'pink', rgb: [250, 160, 200] },
  { name: 'brown', rgb: [120, 70, 30] },
  { name: 'beige', rgb: [235, 220, 190] },
  { name: 'navy', rgb: [20, 30, 90] },
].map(Object.freeze));

/** Colours the second, random-background copy draws from (white already has its own copy). */
export const RANDOM_BACKGROUNDS = Object.freeze(PALETTE.filter((c) => c.name !== 'white'));
