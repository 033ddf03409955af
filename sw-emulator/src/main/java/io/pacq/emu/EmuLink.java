package io.pacq.emu;

import io.pacq.link.Link;

import java.nio.ByteBuffer;

/** The in-process link to an {@link EmuDevice}: every call goes straight to the model. */
public final class EmuLink implements Link {
    private final EmuDevice device;
    private final String description;

    public EmuLink(EmuDevice device, String description) {
        this.device = device;
        this.description = description;
    }

    /** The device model behind this link. */
    public EmuDevice device() {
        return device;
    }

    @Override
    public int readReg(int offset) {
        return device.readReg(offset);
    }

    @Override
    public void writeReg(int offset, int value) {
        device.writeReg(offset, value);
    }

    @Override
    public void writeMem(long address, ByteBuffer src) {
        device.dmaWrite(address, src);
    }

    @Override
    public void readMem(long address, ByteBuffer dst) {
        device.dmaRead(address, dst);
    }

    @Override
    public boolean awaitInterrupt(long timeoutNanos) throws InterruptedException {
        return device.awaitInterrupt(timeoutNanos);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        device.close();
    }
}
