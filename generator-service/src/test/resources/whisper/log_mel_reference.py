"""Reference values of Whisper's log-mel front end for WhisperLogMelTest.

Run with /usr/bin/python3 (numpy only). It follows Whisper's published recipe step by step, in
float64: the clip padded with zeros to 30 s (480000 samples at 16 kHz); a centred STFT (reflect
padding of n_fft/2) with a periodic Hann window of 400 samples and a hop of 160; the power
spectrum without its last frame (3000 frames); librosa's Slaney-style mel filterbank (80 bins,
0-8000 Hz, area-normalised); log10 of max(mel, 1e-10); values below (max - 8) raised to it; then
(x + 4) / 4. The test signal is the one the Java test builds: 1 s of 440 Hz at 0.5 plus 1000 Hz
at 0.25, rounded to float32, then silence.
"""
import numpy as np

SR, N_FFT, HOP, N_MELS, N_SAMPLES = 16000, 400, 160, 80, 480000


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filters():
    fftfreqs = np.linspace(0, SR / 2, 1 + N_FFT // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((N_MELS, len(fftfreqs)))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS])
    return weights * enorm[:, None]


def log_mel(audio):
    audio = np.pad(audio, (0, N_SAMPLES - len(audio)))
    padded = np.pad(audio, (N_FFT // 2, N_FFT // 2), mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    frames = 1 + (len(padded) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    spectrum = np.fft.rfft(padded[idx] * window, axis=1)
    power = (np.abs(spectrum) ** 2).T[:, :-1]
    mel = mel_filters() @ power
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


n = np.arange(SR)
signal = (0.5 * np.sin(2 * np.pi * 440 * n / SR) + 0.25 * np.sin(2 * np.pi * 1000 * n / SR)).astype(np.float32)
features = log_mel(signal.astype(np.float64))
print("shape", features.shape)
filters = mel_filters()
print("filter[10][10] %.9f filter[10][11] %.9f filter[60][93] %.9f" % (filters[10][10], filters[10][11], filters[60][93]))
for mel_bin, frame in [(0, 0), (9, 50), (10, 50), (11, 50), (12, 50), (25, 50), (27, 20), (10, 100), (10, 101), (11, 0), (30, 50), (30, 2000)]:
    print("%d, %d, %.6f" % (mel_bin, frame, features[mel_bin, frame]))
