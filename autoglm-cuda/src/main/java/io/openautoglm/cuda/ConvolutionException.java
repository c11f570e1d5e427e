package io.openautoglm.cuda;

/**
 * The one unchecked exception of this module: a CUDA call that failed (the message names the call
 * and the driver's error code), or {@link Backend#CUDA} asked for where no usable GPU was found (the
 * message carries the probe's reason). Invalid arguments throw {@link IllegalArgumentException}
 * instead. Retrying does not help: a failed driver call usually leaves the context unusable.
 */
public class ConvolutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and how to fix it
     */
    public ConvolutionException(String message) {
        super(message);
    }

    /**
     * @param message what failed and how to fix it
     * @param cause the underlying error, kept for diagnosis
     */
    public ConvolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
