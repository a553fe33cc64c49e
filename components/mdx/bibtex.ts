/**
 * BibTeX for every work in ./references.ts, for the course's references page (<Bibliography>). Only fields we are
 * certain of: authors, title, venue, year and the arXiv identifier; no page numbers, volumes or DOIs that were
 * not checked. The focal-loss paper's entry is the one in ./references.ts (from the reference notes, with pages).
 */
import { REFERENCES, type Reference, type ReferenceKey } from './references';

const arxiv = (id: string) => `  eprint        = {${id}},\n  archivePrefix = {arXiv}`;

export const BIBTEX: Partial<Record<ReferenceKey, string>> = {
  lin2017: REFERENCES.lin2017.bibtex,
  lin2014: `@inproceedings{lin2014coco,
  title         = {Microsoft {COCO}: Common Objects in Context},
  author        = {Lin, Tsung-Yi and Maire, Michael and Belongie, Serge and Hays, James and Perona, Pietro and Ramanan, Deva and Doll{\\'a}r, Piotr and Zitnick, C. Lawrence},
  booktitle     = {European Conference on Computer Vision (ECCV)},
  year          = {2014},
${arxiv('1405.0312')}
}`,
  ren2015: `@inproceedings{ren2015faster,
  title         = {Faster {R-CNN}: Towards Real-Time Object Detection with Region Proposal Networks},
  author        = {Ren, Shaoqing and He, Kaiming and Girshick, Ross and Sun, Jian},
  booktitle     = {Advances in Neural Information Processing Systems (NIPS)},
  year          = {2015},
${arxiv('1506.01497')}
}`,
  he2016: `@inproceedings{he2016deep,
  title         = {Deep Residual Learning for Image Recognition},
  author        = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle     = {IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  year          = {2016},
${arxiv('1512.03385')}
}`,
  liu2016: `@inproceedings{liu2016ssd,
  title         = {{SSD}: Single Shot {MultiBox} Detector},
  author        = {Liu, Wei and Anguelov, Dragomir and Erhan, Dumitru and Szegedy, Christian and Reed, Scott and Fu, Cheng-Yang and Berg, Alexander C.},
  booktitle     = {European Conference on Computer Vision (ECCV)},
  year          = {2016},
${arxiv('1512.02325')}
}`,
  redmon2016: `@inproceedings{redmon2016yolo,
  title         = {You Only Look Once: Unified, Real-Time Object Detection},
  author        = {Redmon, Joseph and Divvala, Santosh and Girshick, Ross and Farhadi, Ali},
  booktitle     = {IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  year          = {2016},
${arxiv('1506.02640')}
}`,
  shrivastava2016: `@inproceedings{shrivastava2016ohem,
  title         = {Training Region-based Object Detectors with Online Hard Example Mining},
  author        = {Shrivastava, Abhinav and Gupta, Abhinav and Girshick, Ross},
  booktitle     = {IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  year          = {2016},
${arxiv('1604.03540')}
}`,
  lin2017fpn: `@inproceedings{lin2017fpn,
  title         = {Feature Pyramid Networks for Object Detection},
  author        = {Lin, Tsung-Yi and Doll{\\'a}r, Piotr and Girshick, Ross and He, Kaiming and Hariharan, Bharath and Belongie, Serge},
  booktitle     = {IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  year          = {2017},
${arxiv('1612.03144')}
}`,
  li2019ghm: `@inproceedings{li2019ghm,
  title         = {Gradient Harmonized Single-stage Detector},
  author        = {Li, Buyu and Liu, Yu and Wang, Xiaogang},
  booktitle     = {AAAI Conference on Artificial Intelligence},
  year          = {2019},
${arxiv('1811.05181')}
}`,
  li2020gfl: `@inproceedings{li2020gfl,
  title         = {Generalized Focal Loss: Learning Qualified and Distributed Bounding Boxes for Dense Object Detection},
  author        = {Li, Xiang and Wang, Wenhai and Wu, Lijun and Chen, Shuo and Hu, Xiaolin and Li, Jun and Tang, Jinhui and Yang, Jian},
  booktitle     = {Advances in Neural Information Processing Systems (NeurIPS)},
  year          = {2020},
${arxiv('2006.04388')}
}`,
  mukhoti2020: `@inproceedings{mukhoti2020calibrating,
  title         = {Calibrating Deep Neural Networks using Focal Loss},
  author        = {Mukhoti, Jishnu and Kulharia, Viveka and Sanyal, Amartya and Golodetz, Stuart and Torr, Philip H. S. and Dokania, Puneet K.},
  booktitle     = {Advances in Neural Information Processing Systems (NeurIPS)},
  year          = {2020},
${arxiv('2002.09437')}
}`,
  zhang2021vfl: `@inproceedings{zhang2021varifocalnet,
  title         = {{VarifocalNet}: An {IoU}-aware Dense Object Detector},
  author        = {Zhang, Haoyang and Wang, Ying and Dayoub, Feras and S{\\"u}nderhauf, Niko},
  booktitle     = {IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)},
  year          = {2021},
${arxiv('2008.13367')}
}`,
};

/** The BibTeX of a reference, or null when none has been written (and checked) yet. */
export function bibtexOf(key: ReferenceKey): string | null {
  const r: Reference = REFERENCES[key];
  return BIBTEX[key] ?? r.bibtex ?? null;
}
