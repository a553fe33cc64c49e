/**
 * The works the chapters cite. Only bibliographic details we are sure of are listed (no guessed page
 * numbers or DOIs); every entry links to its arXiv abstract page.
 */
export interface Reference {
  /** Author-year label used by <Cite>, e.g. "Lin et al., 2017". */
  label: string;
  /** Authors as printed in the list. */
  authors: string;
  year: number;
  title: string;
  /** Venue as printed in the list. */
  venue: string;
  arxiv: string;
  /** A short note on why the course cites it. */
  note?: string;
  bibtex?: string;
}

const LIN2017_BIBTEX = `@inproceedings{lin2017focal,
  title     = {Focal Loss for Dense Object Detection},
  author    = {Lin, Tsung-Yi and Goyal, Priya and Girshick, Ross and He, Kaiming and Doll{\\'a}r, Piotr},
  booktitle = {Proceedings of the IEEE International Conference on Computer Vision (ICCV)},
  pages     = {2980--2988},
  year      = {2017}
}`;

export const REFERENCES = {
  lin2017: {
    label: 'Lin et al., 2017',
    authors: 'Lin, T.-Y., Goyal, P., Girshick, R., He, K., & Dollár, P.',
    year: 2017,
    title: 'Focal Loss for Dense Object Detection',
    venue: 'Proceedings of the IEEE International Conference on Computer Vision (ICCV), pp. 2980–2988',
    arxiv: '1708.02002',
    note: 'The paper this course explains (RetinaNet).',
    bibtex: LIN2017_BIBTEX,
  },
  ren2015: {
    label: 'Ren et al., 2015',
    authors: 'Ren, S., He, K., Girshick, R., & Sun, J.',
    year: 2015,
    title: 'Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks',
    venue: 'Advances in Neural Information Processing Systems (NIPS)',
    arxiv: '1506.01497',
    note: 'The standard two-stage detector: a region proposal network followed by a classifier.',
  },
  lin2017fpn: {
    // A second author disambiguates it from the focal-loss paper by the same first author and year.
    label: 'Lin, Dollár et al., 2017',
    authors: 'Lin, T.-Y., Dollár, P., Girshick, R., He, K., Hariharan, B., & Belongie, S.',
    year: 2017,
    title: 'Feature Pyramid Networks for Object Detection',
    venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
    arxiv: '1612.03144',
    note: 'The feature pyramid (FPN) that RetinaNet uses as its backbone.',
  },
  shrivastava2016: {
    label: 'Shrivastava et al., 2016',
    authors: 'Shrivastava, A., Gupta, A., & Girshick, R.',
    year: 2016,
    title: 'Training Region-based Object Detectors with Online Hard Example Mining',
    venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
    arxiv: '1604.03540',
    note: 'OHEM: build each minibatch from the highest-loss examples.',
  },
  liu2016: {
    label: 'Liu et al., 2016',
    authors: 'Liu, W., Anguelov, D., Erhan, D., Szegedy, C., Reed, S., Fu, C.-Y., & Berg, A. C.',
    year: 2016,
    title: 'SSD: Single Shot MultiBox Detector',
    venue: 'European Conference on Computer Vision (ECCV)',
    arxiv: '1512.02325',
    note: 'A one-stage detector with default boxes (anchors) at several scales.',
  },
  redmon2016: {
    label: 'Redmon et al., 2016',
    authors: 'Redmon, J., Divvala, S., Girshick, R., & Farhadi, A.',
    year: 2016,
    title: 'You Only Look Once: Unified, Real-Time Object Detection',
    venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
    arxiv: '1506.02640',
    note: 'YOLO, a fast one-stage detector.',
  },
  lin2014: {
    label: 'Lin et al., 2014',
    authors:
      'Lin, T.-Y., Maire, M., Belongie, S., Hays, J., Perona, P., Ramanan, D., Dollár, P., & Zitnick, C. L.',
    year: 2014,
    title: 'Microsoft COCO: Common Objects in Context',
    venue: 'European Conference on Computer Vision (ECCV)',
    arxiv: '1405.0312',
    note: 'The COCO benchmark on which every AP number cited from the paper was measured (the toy detector’s AP uses the same COCO evaluation protocol on synthetic images).',
  },
  he2016: {
    label: 'He et al., 2016',
    authors: 'He, K., Zhang, X., Ren, S., & Sun, J.',
    year: 2016,
    title: 'Deep Residual Learning for Image Recognition',
    venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
    arxiv: '1512.03385',
    note: 'ResNet, the backbone network (ResNet-50, ResNet-101) in the paper’s experiments.',
  },
  li2019ghm: {
    label: 'Li, Liu & Wang, 2019',
    authors: 'Li, B., Liu, Y., & Wang, X.',
    year: 2019,
    title: 'Gradient Harmonized Single-stage Detector',
    venue: 'AAAI Conference on Artificial Intelligence',
    arxiv: '1811.05181',
    note: 'GHM: reweights examples by how many others have a similar gradient norm.',
  },
  li2020gfl: {
    label: 'Li et al., 2020',
    authors: 'Li, X., Wang, W., Wu, L., Chen, S., Hu, X., Li, J., Tang, J., & Yang, J.',
    year: 2020,
    title:
      'Generalized Focal Loss: Learning Qualified and Distributed Bounding Boxes for Dense Object Detection',
    venue: 'Advances in Neural Information Processing Systems (NeurIPS)',
    arxiv: '2006.04388',
    note: 'Quality focal loss (QFL): focal loss with a soft, IoU-valued target.',
  },
  mukhoti2020: {
    label: 'Mukhoti et al., 2020',
    authors: 'Mukhoti, J., Kulharia, V., Sanyal, A., Golodetz, S., Torr, P. H. S., & Dokania, P. K.',
    year: 2020,
    title: 'Calibrating Deep Neural Networks using Focal Loss',
    venue: 'Advances in Neural Information Processing Systems (NeurIPS)',
    arxiv: '2002.09437',
    note: 'Focal loss and the calibration of classifiers’ confidence.',
  },
  zhang2021vfl: {
    label: 'Zhang et al., 2021',
    authors: 'Zhang, H., Wang, Y., Dayoub, F., & Sünderhauf, N.',
    year: 2021,
    title: 'VarifocalNet: An IoU-aware Dense Object Detector',
    venue: 'IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)',
    arxiv: '2008.13367',
    note: 'Varifocal loss (VFL): an asymmetric, IoU-aware focal loss.',
  },
} satisfies Record<string, Reference>;

export type ReferenceKey = keyof typeof REFERENCES;

/** The order of the reference list: the paper first, then the others by year and author. */
export const REFERENCE_ORDER: readonly ReferenceKey[] = [
  'lin2017',
  'lin2014',
  'ren2015',
  'he2016',
  'liu2016',
  'redmon2016',
  'shrivastava2016',
  'lin2017fpn',
  'li2019ghm',
  'li2020gfl',
  'mukhoti2020',
  'zhang2021vfl',
];

export function isReferenceKey(key: string): key is ReferenceKey {
  return Object.prototype.hasOwnProperty.call(REFERENCES, key);
}

/** The anchor id of a reference in the chapter's reference list; <Cite> links here. */
export function referenceId(key: ReferenceKey): string {
  return `ref-${key}`;
}
