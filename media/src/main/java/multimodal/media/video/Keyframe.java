package multimodal.media.video;

import multimodal.media.RgbImage;

/**
 * One frame that stands for a stretch of a video: the frame shown at {@code startMs}, which stands
 * for everything up to {@code endMs} (the next keyframe, or the end of the video).
 *
 * @param sceneScore FFmpeg's scene-change score of the frame (0 for the first frame and for frames
 *     taken because the maximum interval passed)
 */
public record Keyframe(long startMs, long endMs, RgbImage image, double sceneScore) {}
