//! Chapter 3 of *From fork to Pool*: a `Process` like `multiprocessing.Process`.
