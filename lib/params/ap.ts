import { CLASS_NAMES } from '../data/synthetic';
import type { Schema } from './schema';

/**
 * URL schema of the "AP you can see" figure (components/figures/ApFigure.tsx). Default prefix `ap`:
 * `ap.iou=0.75&ap.nms=0&ap.cls=ellipse&ap.image=5`. The IoU thresholds are COCO's AP50 and AP75; the NMS
 * threshold's default is the paper's 0.5 (§4 "Inference"); `image` indexes the held-out images stored in
 * content/data/ap-detections.json (AP_IMAGE_COUNT of them; a unit test keeps the two in step).
 */
export const AP_PREFIX = 'ap';
export const AP_IMAGE_COUNT = 24;
export const apSchema = [
  {
    name: 'iou',
    type: 'enum',
    label: 'IoU needed to count as found',
    default: '0.5',
    options: ['0.5', '0.75'],
    optionLabels: ['0.5 (AP50)', '0.75 (AP75)'],
  },
  { name: 'nms', type: 'bool', label: 'Non-maximum suppression', default: true },
  {
    name: 'nmsIou',
    type: 'number',
    label: 'NMS threshold: remove overlaps above',
    default: 0.5,
    min: 0.3,
    max: 0.9,
    step: 0.05,
  },
  {
    name: 'cls',
    type: 'enum',
    label: 'Class',
    default: CLASS_NAMES[0],
    options: CLASS_NAMES,
  },
  {
    name: 'image',
    type: 'int',
    label: 'Held-out image',
    default: 0,
    min: 0,
    max: AP_IMAGE_COUNT - 1,
    step: 1,
  },
] as const satisfies Schema;
