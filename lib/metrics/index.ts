/** Detection metrics: COCO bbox AP/AR (pycocotools COCOeval port). */
export * from './coco';
export * from './fig4';
