/** Detection metrics: COCO bbox AP/AR (pycocotools COCOeval port). */
export * from './coco';
