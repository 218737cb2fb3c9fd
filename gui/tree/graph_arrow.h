// Arrowheads for drawn edges (the trace's step graph, the tree's linearized path): a filled
// triangle at the end of an edge's path, pointing along its last direction, sized in screen pixels
// (it ignores the zoom) so it reads at any zoom level; a child of the edge, so it shows and hides
// with it.
#pragma once

class QGraphicsPathItem;
class QGraphicsPolygonItem;

namespace astro::gui {

// `backOff`: how far before the path's end (in scene units) the tip sits, to stop at a node's rim.
QGraphicsPolygonItem* addArrowHead(QGraphicsPathItem* edge, double pixels = 9.0,
                                   double backOff = 0.0);

}  // namespace astro::gui
