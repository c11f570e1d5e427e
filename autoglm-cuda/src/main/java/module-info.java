/** A fused convolution + bias + ReLU kernel through JCuda, with an exact CPU path. */
module io.openautoglm.cuda {
    requires org.slf4j;
    requires jcuda;

    exports io.openautoglm.cuda;
}
