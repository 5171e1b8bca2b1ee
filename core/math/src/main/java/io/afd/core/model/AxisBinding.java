package io.afd.core.model;

/**
 * Ties one axis of a parameter tensor to the units of a droppable layer. Along that axis, unit
 * {@code j} of {@code layer} owns the contiguous block {@code [j*block, (j+1)*block)}: block 1 for
 * an ordinary axis, {@code H*W} for the rows of a dense layer that follow a channel-major (NCHW)
 * flatten of a conv layer's output.
 *
 * @param axis  the tensor axis
 * @param layer the droppable layer whose units index this axis
 * @param block elements per unit along the axis
 */
public record AxisBinding(int axis, String layer, int block) {
    public AxisBinding {
        if (axis < 0 || block < 1) {
            throw new IllegalArgumentException("bad axis binding axis=" + axis + " block=" + block);
        }
    }
}
